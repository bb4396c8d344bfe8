from django import template
from django.utils.html import format_html

from portal.presenters import when_parts

register = template.Library()


@register.filter
def when(moment, practice):
    """Render a moment as the portal shows every time, in the practice's zone."""
    text, zone = when_parts(moment, practice)
    return format_html(
        '<time datetime="{}">{}</time> <span class="zone">({})</span>',
        moment.isoformat(),
        text,
        zone,
    )


@register.filter
def zone_abbreviation(moment, practice):
    """Return the zone's abbreviation at a moment, e.g. "EST"."""
    return moment.astimezone(practice.zone).tzname()
