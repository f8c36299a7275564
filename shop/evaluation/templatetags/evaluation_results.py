"""``{{ application|is_decided }}``: the application is decided (rated, not rated, sent up).

Lists shown to producers and commune officers hide the score until then
(:func:`shop.evaluation.scoring.score_for`).
"""

from django import template

from shop.evaluation import workflow

register = template.Library()


@register.filter
def is_decided(application):
    return application.state in workflow.DECIDED
