"""Formula syntax: indicator formulas unchanged; rule formulas may scale terms by numbers and $constants."""

from __future__ import annotations

import pytest

from evaltools.model.formula import Term, parse


def test_plain_formulas_are_read_as_before():
    assert parse("A + B.x - 2 + @communes") == (
        Term(1, column="A"), Term(1, column="B.x"), Term(-1, constant=2.0), Term(1, column="@communes"))
    assert parse("A")[0].factor == 1.0 and parse("A")[0].names == ()


@pytest.mark.parametrize("text, where", [("2 * A", "'* A'"), ("A * $price", "'* $price'"), ("$price", "'$price'")])
def test_plain_formulas_refuse_products_and_constants(text, where):
    with pytest.raises(ValueError) as caught:
        parse(text)
    assert str(caught.value).startswith(f"cannot read {where} in formula ")
    assert str(caught.value).endswith("@communes or a number, joined by + or -")


def test_rule_formulas_scale_terms():
    price = {"price", "rate"}
    assert parse("HI_CARDS * $price", price) == (Term(1, column="HI_CARDS", factor=1.0, names=("price",)),)
    assert parse("800 * FLAG - A.x", price) == (Term(1, column="FLAG", factor=800.0), Term(-1, column="A.x"))
    assert parse("- 2 * $price * 3", price) == (Term(-1, constant=6.0, names=("price",)),)
    assert parse("$rate*A*0.5+1", price) == (Term(1, column="A", factor=0.5, names=("rate",)), Term(1, constant=1.0))


@pytest.mark.parametrize("text, message", [
    ("A * B", "cannot multiply A by B in formula 'A * B': a term holds one data column at most"),
    ("A * $cost", "unknown constant $cost in formula 'A * $cost'; defined: $price"),
    ("A * ", "cannot read '*' in formula 'A *'"),
    ("A $price", "cannot read '$price' in formula 'A $price'"),
])
def test_rule_formula_errors(text, message):
    with pytest.raises(ValueError) as caught:
        parse(text, {"price"})
    assert str(caught.value).startswith(message)
