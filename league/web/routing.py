"""Feature route lists, namespaced as `feature:action` without forcing a URL prefix.

Starlette's Mount("") would swallow every path for the first feature, so the names are
namespaced here and the routes stay flat.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from starlette.convertors import IntegerConvertor
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Route, WebSocketRoute

from league.web.forms import MAX_ID, parse_digits


class IdConvertor(IntegerConvertor):
    """`{name:int}` that answers 404 for a number no row can have, instead of failing later
    in the database (or in `int()` itself, for thousands of digits)."""

    def convert(self, value: str) -> int:
        number = parse_digits(value)
        if number is None or number > MAX_ID:
            raise HTTPException(404)
        return number


def namespaced(feature: str, routes: Iterable[BaseRoute]) -> list[BaseRoute]:
    named: list[BaseRoute] = []
    for route in routes:
        if isinstance(route, Route | WebSocketRoute):
            # A copy: the module's route list is reused by every app that is created.
            route = copy.copy(route)
            route.name = f"{feature}:{route.name}"
            route.param_convertors = {
                name: IdConvertor() if isinstance(convertor, IntegerConvertor) else convertor
                for name, convertor in route.param_convertors.items()
            }
        named.append(route)
    return named
