import datetime as dt

import pytest

from sozialplanung.reports.typst_markup import compile_pdf, literal, markdown, plain, table

DAY = dt.date(2026, 12, 2)


@pytest.mark.parametrize(
    "text",
    ['Neu"stadt', "a\\b", '#import "x"', "*fett* _kursiv_ $x$ <label> @ref", "Zeile 1\nZeile 2"],
)
def test_a_literal_compiles_to_exactly_its_text(text):
    source = (
        f"#let t = {literal(text)}\n#assert.eq(t.len(), {len(text.replace(chr(13), '').encode())})"
    )
    assert compile_pdf(source, day=DAY).startswith(b"%PDF")


def test_plain_text_is_never_markup():
    assert plain("#set page(width: 1cm)") == '#"#set page(width: 1cm)"'
    assert plain("") == ""


def test_markdown_keeps_emphasis_lists_and_headings_but_no_code():
    source = markdown('# Lage\nText mit **fett** und *kursiv*.\n- eins\n1. zwei\n#import "evil"')
    assert '#heading(level: 3, outlined: false)[#"Lage"]' in source
    assert '#strong("fett")' in source and '#emph("kursiv")' in source
    assert '- #"eins"' in source and '+ #"zwei"' in source
    assert '#"#import \\"evil\\""' in source
    assert compile_pdf(source, day=DAY).startswith(b"%PDF")


def test_a_table_compiles_with_header_and_rows():
    source = "#" + table(("Gemeinde", "%"), [("Pößneck", "9,8"), ("Schleiz", "•")], columns="2")
    assert compile_pdf(source, day=DAY).startswith(b"%PDF")


def test_the_same_source_and_day_give_the_same_bytes_and_another_day_does_not():
    source = "= Sozialbericht\nText."
    first = compile_pdf(source, day=DAY)
    assert compile_pdf(source, day=DAY) == first
    assert compile_pdf(source, day=dt.date(2027, 1, 1)) != first
