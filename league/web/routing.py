"""Feature route lists, namespaced as `feature:action` without forcing a URL prefix.

Starlette's Mount("") would swallow every path for the first feature, so the names are
namespaced here and the routes stay flat.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from starlette.routing import BaseRoute, Route, WebSocketRoute


def namespaced(feature: str, routes: Iterable[BaseRoute]) -> list[BaseRoute]:
    named: list[BaseRoute] = []
    for route in routes:
        if isinstance(route, Route | WebSocketRoute):
            # A copy: the module's route list is reused by every app that is created.
            route = copy.copy(route)
            route.name = f"{feature}:{route.name}"
        named.append(route)
    return named
