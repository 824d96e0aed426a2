from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render

from casework.rules import can_see_persons
from casework.types import AuthenticatedHttpRequest
from monitoring.selectors import caseload_by_group


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The start page: the caseload per klantgroep, for the own team or the whole municipality."""
    team = request.user.team if can_see_persons(request.user) else None
    cells = caseload_by_group(team=team)
    return render(
        request,
        "monitoring/home.html",
        {
            "cells": cells,
            "team": team,
            "threshold": settings.SMALL_CELL_THRESHOLD,
        },
    )
