from django import template

register = template.Library()


@register.inclusion_tag("clients/_partials/dossier_plans.html")
def dossier_plans(client):
    """The dossier's plan section."""
    return {"client": client}
