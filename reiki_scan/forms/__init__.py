"""Forms (様式): the seal boxes of form templates and the regulation each form belongs to.

Runs between ``detect/`` and ``classify/``: :func:`link_forms` (form section -> the regulation of
the same corpus that prescribes it), :func:`enrich` (name field of each seal box, the
form's notes read as alternatives or exemptions, mid-line boxes, ``Finding.form_of``), and
:func:`draft_view` (linked forms drafted under their regulation). The reading rules are
data: ``patterns/forms.yaml``. The structure of a form file (one 様式 per form, per sheet of a
workbook) is read by ``structure`` (:mod:`reiki_scan.structure.forms`), re-exported here.
"""

from __future__ import annotations

from .boxes import enrich, midline_boxes, name_field
from ..structure.formrules import FormRule, FormRules, load_form_rules
from ..structure.forms import form_sections, form_structure, is_form_file, section_title
from .link import FormLink, link_forms
from .merge import draft_view

__all__ = [
    "FormLink", "FormRule", "FormRules", "draft_view", "enrich", "form_sections", "form_structure",
    "is_form_file", "link_forms", "load_form_rules", "midline_boxes", "name_field", "section_title",
]
