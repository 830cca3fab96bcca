"""The steps that are tables of rows (教育经历, 工作经历, 专业技术资格): reconciled, never appended
blindly. A row that matches is left alone, a differing row is edited field by field, a row whose key
the profile corrected (a typo in 入学时间, say) is edited in place, a missing row is added; rows on the
site that the profile lacks are reported (deleted only with --prune)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from autofill.errors import StepError
from autofill.report import FieldLine
from autofill.steps.base import StepRun
from autofill.widgets.base import exact, fold

if TYPE_CHECKING:
    from playwright.sync_api import Locator

    from autofill.pack import TableSpec
    from autofill.plan import RowPlan


# True once a body row of the `index`-th visible table has, in each column index of `wanted`, that
# (folded) text (for `Ui.wait_for`).
_ROW_SHOWN_JS = """([index, wanted]) => {
  const table = [...document.querySelectorAll('.el-table')].filter(visible)[index];
  return !!table && [...table.querySelectorAll('.el-table__body-wrapper tr.el-table__row')].some(tr => {
    const cells = [...tr.querySelectorAll('td .cell')].map(c => fold(c.textContent));
    return Object.entries(wanted).every(([i, v]) => (cells[+i] || '') === v);
  });
}"""


def _read(table: Locator) -> list[dict[str, str]]:
    """The rows of an el-table as {column title: cell text} (the body only: fixed columns repeat rows)."""
    heads = [fold(t) for t in table.locator(".el-table__header-wrapper th .cell").all_inner_texts()]
    rows = []
    for row in table.locator(".el-table__body-wrapper tr.el-table__row").all():
        cells = [fold(t) for t in row.locator("td .cell").all_inner_texts()]
        rows.append(dict(zip(heads, cells, strict=False)))
    return rows


def _matches(cells: dict[str, str], keys: dict[str, str]) -> bool:
    return all(fold(cells.get(column, "")) == fold(value) for column, value in keys.items())


def _describe(cells: dict[str, str], spec: TableSpec) -> str:
    return f"{spec.noun}：" + "，".join(f"{c} {cells.get(c, '')}" for c in spec.keys)


def _first_free(rows: Sequence[dict[str, str]], keys: dict[str, str], taken: Collection[int]) -> int | None:
    """The index of the first row, not in `taken`, whose key cells are `keys`."""
    return next((i for i, cells in enumerate(rows) if i not in taken and _matches(cells, keys)), None)


def _same_entry(cells: dict[str, str], plan: RowPlan) -> bool:
    """Whether a site row agrees with the profile row on one of its `same_entry` column sets (a set the
    profile leaves partly empty proves nothing)."""
    return any(all(fold(v) for v in identity.values()) and _matches(cells, identity) for identity in plan.same_entry)


@dataclass(frozen=True)
class Pairing:
    """Which site row each profile row is: {index in the plans: index in the table}."""

    exact: dict[int, int]  # the key columns are equal
    corrected: dict[int, int]  # the same entry, one of whose keys the profile corrected: edited in place


def pair_rows(rows: Sequence[dict[str, str]], plans: Sequence[RowPlan], locked: Collection[int] = ()) -> Pairing:
    """Pair the profile's rows with the table's `rows` ({column title: cell text}).

    First by the key columns, each site row once, in profile order. Then a profile row still without a
    row takes a leftover row that agrees with it on one of its `same_entry` column sets, but only beyond
    doubt: that row is its only such candidate, no other unpaired profile row has it as a candidate, and
    it can be edited (not in `locked`: under review). Anything less stays unpaired: the profile row is
    added and the site row reported, never overwritten (a row the profile lacks is deleted only with
    --prune)."""
    exact: dict[int, int] = {}
    for p, plan in enumerate(plans):
        found = _first_free(rows, plan.keys, set(exact.values()))
        if found is not None:
            exact[p] = found
    free = [i for i in range(len(rows)) if i not in exact.values()]
    candidates = {p: [i for i in free if _same_entry(rows[i], plan)] for p, plan in enumerate(plans) if p not in exact}
    claims = Counter(i for found in candidates.values() for i in found)
    corrected = {
        p: found[0]
        for p, found in candidates.items()
        if len(found) == 1 and claims[found[0]] == 1 and found[0] not in locked
    }
    return Pairing(exact, corrected)


def _corrections(cells: dict[str, str], plan: RowPlan) -> str:
    """The key columns the profile corrected, as `入学时间 2008-09 → 2008-10`."""
    return "，".join(
        f"{column} {cells.get(column, '')} → {value}"
        for column, value in plan.keys.items()
        if fold(cells.get(column, "")) != fold(value)
    )


class Table:
    """One table of a step, its 新增 button (the n-th on the step) and its dialogs."""

    def __init__(self, run: StepRun, name: str, spec: TableSpec, index: int) -> None:
        self.run, self.name, self.spec, self.index = run, name, spec, index

    def locator(self) -> Locator:
        return self.run.page.locator(".el-table >> visible=true").nth(self.index)

    def rows(self) -> list[dict[str, str]]:
        table = self.locator()
        table.wait_for(state="visible", timeout=self.run.ui.timeout_ms)
        return _read(table)

    def _row_button(self, row: int, text: str) -> Locator:
        line = self.locator().locator(".el-table__body-wrapper tr.el-table__row").nth(row)
        return line.locator("button").filter(has_text=exact(text)).first

    def add(self, plan: RowPlan) -> None:
        run, b = self.run, self.run.buttons
        button = run.button(b.add).nth(self.index)
        if button.is_disabled():
            run.lines.append(
                FieldLine(
                    step=run.title,
                    path=plan.path,
                    label=self.spec.noun,
                    value="（整行）",
                    page_value="（缺少此行）",
                    action="mismatch",
                )
            )
            return
        button.click()
        title = b.add + self.spec.noun
        dialog = run.dialog(title)
        dialog.wait_for(state="visible", timeout=run.ui.timeout_ms)
        run.fill(plan.fields, title)
        run.press(b.save, scope=dialog, dialog=title, what=plan.path)
        self.wait_for_row(plan)
        run.notes.append(f"新增 {plan.path} (added)")

    def edit(self, row: int, plan: RowPlan, note: str | None = None) -> None:
        """Make the row show the plan (`note`: what the run notes once it saved a change)."""
        run, b = self.run, self.run.buttons
        button = self._row_button(row, b.edit)
        if button.is_disabled():
            self.view(row, plan)
            return
        button.click()
        title = b.edit + self.spec.noun
        dialog = run.dialog(title)
        dialog.wait_for(state="visible", timeout=run.ui.timeout_ms)
        before = len(run.lines)
        if run.fill(plan.fields, title):
            run.press(b.save, scope=dialog, dialog=title, what=plan.path)
            self.wait_for_row(plan)
            for line in run.lines[before:]:
                if line.action in ("filled", "uploaded"):
                    line.action = "edited"
            run.notes.append(note or f"编辑 {plan.path} (edited)")
        else:
            run.press(b.cancel, scope=dialog, dialog=title, what=plan.path)

    def view(self, row: int, plan: RowPlan) -> None:
        """A row that cannot be edited (under review): compare it through 查看详情, change nothing."""
        run, b = self.run, self.run.buttons
        self._row_button(row, b.view).click()
        title = self.spec.noun + run.pack.wizard.view_suffix
        dialog = run.dialog(title)
        dialog.wait_for(state="visible", timeout=run.ui.timeout_ms)
        run.fill(plan.fields, title)
        run.press(b.close, scope=dialog, dialog=title, what=plan.path)

    def delete(self, row: int, cells: dict[str, str]) -> None:
        from playwright.sync_api import expect

        run, b = self.run, self.run.buttons
        body_rows = self.locator().locator(".el-table__body-wrapper tr.el-table__row")
        count = body_rows.count()
        self._row_button(row, b.delete).click()
        box = run.page.locator(".el-message-box__wrapper >> visible=true")
        box.locator("button").filter(has_text=exact(b.confirm)).first.click()
        expect(body_rows).to_have_count(count - 1, timeout=run.ui.timeout_ms)
        run.notes.append(f"删除 {_describe(cells, self.spec)} (deleted)")

    def wait_for_row(self, plan: RowPlan) -> None:
        """After a save the table reloads: wait until it shows the row (by its key columns)."""
        run = self.run
        table = self.locator()
        heads = [fold(t) for t in table.locator(".el-table__header-wrapper th .cell").all_inner_texts()]
        wanted = {heads.index(c): fold(v) for c, v in plan.keys.items() if c in heads}
        run.ui.wait_for(_ROW_SHOWN_JS, [self.index, {str(k): v for k, v in wanted.items()}])

    def reconcile(self, plans: list[RowPlan]) -> None:
        """Pair the profile's rows with the table's once, then edit or add each in profile order. Every
        action finds its row afresh by key columns: a save may reload the table in another order."""
        rows = self.rows()
        pairing = pair_rows(rows, plans)
        if pairing.corrected:  # a row under review (its 编辑 disabled) is not the one to correct
            locked = {i for i in pairing.corrected.values() if self._row_button(i, self.run.buttons.edit).is_disabled()}
            pairing = pair_rows(rows, plans, locked)
        done: list[dict[str, str]] = []  # the keys of the rows handled so far, as the table now shows them
        for p, plan in enumerate(plans):
            if p in pairing.exact:
                self.edit(self._find(plan.keys, done), plan)
            elif p in pairing.corrected:
                old = rows[pairing.corrected[p]]
                row = self._find({column: old.get(column, "") for column in plan.keys}, done)
                fixed = _corrections(old, plan)
                self.edit(row, plan, note=f"编辑 {plan.path}，更正 {fixed} (edited; key corrected)")
            else:
                self.add(plan)  # a page that will not add it: reported as a mismatch, nothing to claim
            done.append(plan.keys)
        rows = self.rows()
        used = _claimed(rows, done)
        extra = [i for i in range(len(rows)) if i not in used]
        for i in reversed(extra):
            if self.run.prune and not self._row_button(i, self.run.buttons.delete).is_disabled():
                self.delete(i, rows[i])
            else:
                self.run.extra_rows.append(_describe(rows[i], self.spec))

    def _find(self, keys: dict[str, str], done: list[dict[str, str]]) -> int:
        """The index of the row the table shows now with these key cells, not one already handled."""
        rows = self.rows()
        found = _first_free(rows, keys, _claimed(rows, done))
        if found is None:
            raise StepError(
                f"表格中找不到这一行：{'，'.join(f'{c} {v}' for c, v in keys.items())} "
                "(the row is no longer in the table: the page changed it meanwhile)",
                step=self.run.title,
            )
        return found


def _claimed(rows: Sequence[dict[str, str]], done: Sequence[dict[str, str]]) -> set[int]:
    """The rows that the handled profile rows (their `keys`, in order) stand for: each takes the first
    row with its key cells not taken before it."""
    claimed: set[int] = set()
    for keys in done:
        found = _first_free(rows, keys, claimed)
        if found is not None:
            claimed.add(found)
    return claimed


def fill_tables(run: StepRun, handler: str) -> None:
    """Reconcile every table the pack puts on this step, in the order they stand on the page."""
    tables = [(name, spec) for name, spec in run.pack.wizard.tables.items() if spec.step == handler]
    if not tables:
        raise StepError("选择器包没有这个步骤的表格 (the pack lists no table for this step)", step=run.title)
    for index, (name, spec) in enumerate(tables):
        Table(run, name, spec, index).reconcile(run.plan.tables.get(name, []))
