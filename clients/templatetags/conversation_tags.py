from django import template

register = template.Library()


@register.inclusion_tag("clients/_partials/dossier_conversations.html")
def dossier_conversations(client):
    """The dossier's conversation section."""
    return {"client": client}
