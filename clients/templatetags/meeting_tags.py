from django import template

register = template.Library()


@register.inclusion_tag("clients/_partials/dossier_meetings.html")
def dossier_meetings(client):
    """The dossier's meeting section."""
    return {"client": client}
