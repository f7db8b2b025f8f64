"""Words for community health figures: changes, shares and waits."""

from django import template

from forums.health import duration_words

register = template.Library()


@register.filter
def wait(seconds) -> str:
    """A median wait in plain words."""
    return duration_words(seconds)


@register.filter
def change(figure, unit: str = "") -> str:
    """How a figure moved against the period before, in words (not colour alone)."""
    if figure.change is None:
        return "No earlier figure" if figure.previous is None else "Not enough data"
    moved = figure.change
    if isinstance(moved, float):
        moved = round(moved, 1)
        if moved == int(moved):
            moved = int(moved)
    if moved == 0:
        return "No change"
    return f"{'Up' if moved > 0 else 'Down'} {abs(moved)}{unit}"


@register.filter
def wait_change(figure) -> str:
    """How a median wait moved: shorter is better, so it says "faster" or "slower"."""
    if figure.value is None or figure.previous is None:
        return "No earlier figure"
    moved = figure.value - figure.previous
    if abs(moved) < 60:
        return "No change"
    return f"{duration_words(abs(moved))} {'slower' if moved > 0 else 'faster'}"


@register.filter
def share(value) -> str:
    if value is None:
        return "No questions"
    return f"{value:g}%"
