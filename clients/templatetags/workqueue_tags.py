from django import template

register = template.Library()


@register.inclusion_tag("clients/_partials/dossier_due.html")
def dossier_due(client):
    """The dossier's section on what is due for this client."""
    return {"client": client}
