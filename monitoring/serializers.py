"""Serializers of the indicators API: the monitor's definitions and aggregate figures. No person
appears here: a figure is a value and its breakdown, with the values the monitor hides (small
cells and the cells that would give one away) left out."""

from decimal import Decimal
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from monitoring.indicators import Indicator, Theme, Unit


@extend_schema_field(OpenApiTypes.NUMBER)
class NumberField(serializers.Field[Decimal | int, Decimal | int, float | int, object]):
    """A figure's value as a JSON number: a count as an integer, a share, an average or an
    amount with its decimals."""

    def to_representation(self, value: Decimal | int) -> float | int:
        return value if isinstance(value, int) else float(value)


class IndicatorSerializer(serializers.Serializer[Indicator]):
    """An indicator of the monitor (indicator), defined in words."""

    code = serializers.CharField(help_text="The indicator's key, e.g. `caseload`.")
    name = serializers.CharField(help_text="The indicator's name, in the user's language.")
    theme = serializers.ChoiceField(
        choices=[theme.value for theme in Theme],
        help_text="The section of the monitor the indicator belongs to.",
    )
    unit = serializers.ChoiceField(
        choices=[unit.value for unit in Unit],
        help_text=(
            "What the values are: `count` (people or trajecten), `percent` (0-100, one decimal), "
            "`months` (one decimal) or `euro` (two decimals)."
        ),
    )
    numerator = serializers.CharField(help_text="What is counted (teller).")
    denominator = serializers.CharField(
        help_text="Out of what (noemer); empty for a plain count or amount."
    )
    population = serializers.CharField(help_text="About whom (populatie).")
    period = serializers.CharField(help_text="Over which days of the period (periode).")
    breakdown = serializers.CharField(
        help_text="What the rows of the breakdown are (uitsplitsing), e.g. per klantgroep."
    )
    higher_is_better = serializers.BooleanField(
        allow_null=True, help_text="Whether a higher value is better; null when neither."
    )
    by_team = serializers.BooleanField(help_text="Whether the figure can be split by team.")
    by_group = serializers.BooleanField(
        help_text="Whether the figure can be split by client group (klantgroep)."
    )


class IndicatorListQuerySerializer(serializers.Serializer[None]):
    """The filter of the list of indicators."""

    theme = serializers.ChoiceField(
        choices=[theme.value for theme in Theme],
        required=False,
        help_text="Only the indicators of this theme.",
    )


class ShownValueSerializer(serializers.Serializer[dict[str, Any]]):
    """A value as the user may see it."""

    value = NumberField(
        allow_null=True,
        help_text="The value; null when there is none (a share of nobody) or it is hidden.",
    )
    suppressed = serializers.BooleanField(
        help_text=(
            "Whether the value is hidden: it is about fewer people than the small-cell threshold "
            "or would give such a value away."
        )
    )
    display = serializers.CharField(
        source="text",
        help_text=(
            "The value as the dashboard shows it, in the user's language: formatted with its "
            "unit, `< 5` for a small cell, `x` for a value hidden because it would give one "
            "away, a dash for no value."
        ),
    )


class RowSerializer(ShownValueSerializer):
    """One line of the breakdown, as the user may see it."""

    # A field named like Field.label: DRF's metaclass takes it from the class attributes.
    label = serializers.CharField(  # type: ignore[assignment]
        help_text="What the row is about: a klantgroep, a reason, an instrument, ..."
    )


class PeriodSerializer(serializers.Serializer[dict[str, Any]]):
    code = serializers.CharField(help_text="The quarter (2025-Q1) or the year (2025).")
    start = serializers.DateField(help_text="The first day of the period.")
    end = serializers.DateField(
        help_text="The last day of the period: today when it has not ended (a team leader's team)."
    )
    complete = serializers.BooleanField(
        help_text="Whether the period has ended; otherwise the figure is up to today."
    )


class FigureSerializer(ShownValueSerializer):
    """The indicator's value for a period and scope, with its breakdown."""

    period = PeriodSerializer()
    team = serializers.IntegerField(
        allow_null=True, help_text="The team the figure is about (id); null for all teams."
    )
    group = serializers.CharField(
        allow_null=True,
        help_text="The client group (klantgroep) the figure is about (code); null for all.",
    )
    not_by_team = serializers.BooleanField(
        help_text="A team was asked for, but the figure is not split by team: it is about all."
    )
    not_by_group = serializers.BooleanField(
        help_text="A client group was asked for, but the figure is not split by client group."
    )
    small_cells_hidden = serializers.BooleanField(
        help_text=(
            "Whether values about few people are hidden: always, except to a team leader for "
            "their own team."
        )
    )
    rows = RowSerializer(many=True, help_text="The breakdown (uitsplitsing), in its order.")


class IndicatorFigureSerializer(IndicatorSerializer):
    """An indicator's definition and its figure."""

    figure = FigureSerializer()
