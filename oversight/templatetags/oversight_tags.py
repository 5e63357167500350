from django import template

register = template.Library()


@register.filter
def is_pairs(value) -> bool:
    """A list of (label, value) pairs, as oversight.subject_access builds them."""
    return isinstance(value, list) and bool(value) and isinstance(value[0], tuple)


@register.filter
def is_pairs_list(value) -> bool:
    return isinstance(value, list) and bool(value) and is_pairs(value[0])
