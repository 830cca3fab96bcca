"""Widget adapters, one per Element UI widget kind, chosen by the pack's `widget` name."""

from __future__ import annotations

from autofill.widgets.base import Adapter, Ui, Where, form_item
from autofill.widgets.choice import CheckboxGroup, Radio
from autofill.widgets.month import Month
from autofill.widgets.select import Cascade, Select
from autofill.widgets.text import Readonly, Text
from autofill.widgets.upload import Upload

ADAPTERS: dict[str, type[Adapter]] = {
    cls.kind: cls for cls in (Text, Readonly, Select, Cascade, Month, Upload, Radio, CheckboxGroup)
}

__all__ = ["ADAPTERS", "Adapter", "Ui", "Where", "form_item"]
