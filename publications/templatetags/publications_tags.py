from django import template

from publications.numerals import chinese_number

register = template.Library()


@register.filter
def article_label(number):
    """6 → 第六条"""
    return f"第{chinese_number(int(number))}条"


@register.filter
def chapter_label(number):
    """2 → 第二章"""
    return f"第{chinese_number(int(number))}章"
