"""Static files: those linked with their content hash (`static_url`) are kept for a year."""

from __future__ import annotations

from starlette.datastructures import QueryParams
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from league.web.templating import static_version

IMMUTABLE = "public, max-age=31536000, immutable"


class VersionedStaticFiles(StaticFiles):
    """A request naming the file's current hash (`?v=`) gets a year-long immutable cache:
    a changed file gets a new hash, hence a new URL. Other requests (no or an old hash)
    keep the default revalidation, so nobody is stuck with a stale file."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        version = QueryParams(scope.get("query_string", b"")).get("v")
        if response.status_code in (200, 304) and version == static_version(path):
            response.headers["Cache-Control"] = IMMUTABLE
        return response
