"""A page's visible text and the source offset of each character (read/html_source.py) are read
two ways: most pages by one pattern of the plain forms of markup (_plain_scan), the rest by the
standard library's HTMLParser (_Scanner). Where the scan reads a page it must give exactly the
tokenizer's text and offsets, or evidence would point at other characters of the file depending
on which reader took the page. A Python whose HTMLParser reads some markup differently fails
here, before any offset goes wrong unnoticed."""

from __future__ import annotations

import pytest

from auditor.read.encoding import decode_report
from auditor.read.html import declared_charset
from auditor.read.html_source import TextLocator, _plain_scan, _Scanner
from conftest import ROOT, SHARED

PAGES = [SHARED / "real" / "full" / "007.html", ROOT / "corpus" / "qingxi-county-2024.html",
         ROOT / "corpus" / "yunling-eco-2024.html"]

# Each plain form of markup the scan reads itself, in the spellings pages use.
PLAIN = [
    "<p>a &lt; b &amp c</p>",  # a named reference closed by ";" or by a character its name cannot take
    "<p>x<br/>y<br />z</p>",
    "<!-- c -- >z<!---->w",
    "<a href=x/y>t</a><a b=c d>u</a>",  # bare values, a bare attribute
    "<p title='a>b' class=\"c\">t</p>",  # ">" inside a quoted value
    "<script>if(a<b){}</script>t<style>p{}</style >u",
    "&#x4e2d;&#20013;&nbsp;&unknown;x",
    "<?xml version=\"1.0\"?><!DOCTYPE html>t",
    "t\r\nu\rv",
    "<P CLASS=x>t</P>",
    "<p\nclass=\"a\"\n>t</p >",
]
# Markup the scan leaves to the tokenizer: it must say so (None), not read it some other way.
OTHER = ["<![CDATA[x]]>y", "a < b", "a & b", "<script>x", "&amp", "<script/>x</script>y"]


def _tokenizer(source: str) -> tuple[str, list[int]]:
    scanner = _Scanner(source)
    scanner.feed(source)
    scanner.close()
    return "".join(scanner.chars), scanner.offsets


def _text(path) -> str:
    """The page's source as the reader decodes it (one of these pages is in GBK)."""
    data = path.read_bytes()
    return decode_report(str(path), data, declared=declared_charset(data)).text


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_real_pages_are_read_by_the_scan_as_the_tokenizer_reads_them(path):
    source = _text(path)
    scanned = _plain_scan(source)
    assert scanned is not None  # these pages hold only plain markup: the fast path reads them
    assert scanned == _tokenizer(source)


@pytest.mark.parametrize("source", PLAIN)
def test_each_plain_form_of_markup_is_read_as_the_tokenizer_reads_it(source):
    scanned = _plain_scan(source)
    assert scanned is not None
    assert scanned == _tokenizer(source)
    # every character of the text at an offset whose source character is it (or its reference)
    text, offsets = scanned
    assert len(offsets) == len(text)


@pytest.mark.parametrize("source", OTHER)
def test_other_markup_goes_to_the_tokenizer(source):
    assert _plain_scan(source) is None
    locator = TextLocator(source)
    assert (locator.stream, locator.offsets) == _tokenizer(source)


def test_a_page_with_one_odd_piece_is_read_whole_by_the_tokenizer():
    # Plain markup before and after a CDATA section: nothing of the scan's partial reading is kept.
    source = "<p>甲&amp;乙</p>" * 50 + "<![CDATA[丙]]>" + "<p>丁</p>" * 50
    locator = TextLocator(source)
    assert (locator.stream, locator.offsets) == _tokenizer(source)
    assert "甲&乙" in locator.stream and "丁" in locator.stream
