"""The German catalogue is complete and its compiled file matches the source."""

from pathlib import Path

import polib

import sozialplanung

CATALOGUE = Path(sozialplanung.__file__).parent / "web" / "locale" / "de" / "LC_MESSAGES"


def test_every_message_has_a_german_translation():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert len(po) > 100


def test_the_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    mo = polib.mofile(str(CATALOGUE / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
    source = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in po.translated_entries()}
    assert compiled == source, "run 'make messages' to recompile the German catalogue"
