"""The scripts the adapters run inside the page: each finds, reads or writes a whole field in one call.

A Playwright action costs several round trips (query, visibility, scrolling, events) between Python,
its driver, the browser and the page; a field used to take about nine of them. Here finding a form item,
reading its value, whether it is locked and which messages are new is one call, and so is typing a text
or choosing an option. The page sees the same DOM events Element UI listens to (input, blur, click).
"""

from __future__ import annotations

# Shared by every script below: how a person compares texts (as `base.fold`: NFKC, spaces folded),
# labels compared space-insensitively (as `base.exact`), visibility as Playwright sees it, waiting.
_HELPERS = """
  const fold = (t) => (t || '').normalize('NFKC').replace(/\\s+/g, ' ').trim();
  const tight = (t) => (t || '').normalize('NFKC').replace(/\\s+/g, '');
  const visible = (el) => {
    if (!el || !el.isConnected) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  // Resolves with test()'s first truthy answer, tried whenever the DOM changes (and every 100 ms, for
  // what changes without a mutation, e.g. a picture loading), or with null after `timeout` ms. Unlike
  // polling on every animation frame it costs nothing while the page is still.
  const until = (test, timeout) => new Promise((resolve) => {
    let observer = null, tick = null, limit = null, done = false;
    const finish = (value) => {
      if (done) return;
      done = true;
      if (observer) observer.disconnect();
      clearInterval(tick);
      clearTimeout(limit);
      resolve(value);
    };
    const check = () => {
      const got = test();
      if (got) finish(got);
    };
    check();
    if (done) return;
    observer = new MutationObserver(check);
    observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
    tick = setInterval(check, 100);
    limit = setTimeout(() => finish(null), timeout);
  });
  // The files an el-upload lists, as its Vue 2 component holds them (ElUpload's `uploadFiles`: name, url,
  // status): the DOM shows only the names. Found from the upload's elements up the component chain; null
  // when the page exposes no such component (the reader then knows the names only).
  const uploadFiles = (item) => {
    for (const el of item.querySelectorAll('.el-upload, .el-upload-list')) {
      for (let vm = el.__vue__, up = 0; vm && up < 8; vm = vm.$parent, up++) {
        if (Array.isArray(vm.uploadFiles)) {
          return vm.uploadFiles.map((f) => ({
            name: String((f && f.name) || ''),
            url: f && typeof f.url === 'string' ? f.url : '',
            status: String((f && f.status) || ''),
          }));
        }
      }
    }
    return null;
  };
  const read = (item, kind, present, sample) => {
    const q = (s) => item.querySelector(s);
    const all = (s) => [...item.querySelectorAll(s)];
    if (kind === 'text') {
      const box = q('input.el-input__inner, textarea.el-textarea__inner');
      return box ? box.value : null;
    }
    if (kind === 'readonly') {
      const box = q('input, textarea');
      return box ? box.value : fold((q('.el-form-item__content') || item).innerText);
    }
    if (kind === 'select') return (q('.el-select .el-input__inner') || {value: ''}).value;
    if (kind === 'cascade') return all('.el-select .el-input__inner').map((e) => e.value);
    if (kind === 'radio') return (q('label.el-radio.is-checked') || {innerText: ''}).innerText;
    if (kind === 'checkbox_group') return all('label.el-checkbox.is-checked').map((e) => e.innerText);
    if (kind === 'month') {
      const box = present && all('label.el-checkbox').find((e) => tight(e.innerText) === tight(present));
      if (box && box.classList.contains('is-checked')) return {present: true, value: ''};
      return {present: false, value: (q('.el-date-editor input') || {value: ''}).value};
    }
    if (kind === 'upload') {
      return {
        names: all('.el-upload-list__item-name').map((e) => e.innerText),
        sources: all('img').filter((e) => e.alt !== sample).map((e) => e.src),
        files: uploadFiles(item),
      };
    }
    throw new Error('no reader for widget ' + kind);
  };
  // Whether the field shows its final value, not one still loading: nothing in it shows a loading mask or
  // spinner; every el-select showing a value is enabled and has its options (a cascade's lower level is
  // disabled and has no options until its list arrives, yet already shows the value it is given: read then,
  // it looks unchanged while the form still counts it unchosen), unless every one is disabled (a locked
  // field: nothing loads); no file of an el-upload is still uploading.
  const settled = (item, kind) => {
    if ([...item.querySelectorAll('.el-loading-mask, .el-icon-loading')].some(visible)) return false;
    if (kind === 'select' || kind === 'cascade') {
      const selects = [...item.querySelectorAll('.el-select')];
      const disabled = (s) => Boolean(s.querySelector('.el-input.is-disabled'));
      if (selects.every(disabled)) return true;
      return selects.every((s) => {
        const vm = s.__vue__;  // Element's ElSelect: its `loading` and the options it holds
        if (vm && vm.loading) return false;
        if (!(s.querySelector('.el-input__inner') || {value: ''}).value) return true;
        if (disabled(s)) return false;
        return !vm || vm.remote || !Array.isArray(vm.options) || vm.options.length > 0;
      });
    }
    if (kind === 'upload') {
      if (item.querySelector('.el-upload-list__item.is-uploading')) return false;
      const files = uploadFiles(item);
      return !files || !files.some((f) => f.status === 'uploading');
    }
    return true;
  };
  // Waits until the field has settled (or is gone); false when it has not within `timeout` ms.
  const settle = async (item, kind, timeout) =>
    Boolean(await until(() => !item.isConnected || settled(item, kind), timeout));
  const newError = (seen) => {
    const errors = [...document.querySelectorAll('.el-message--error')].filter((e) => !e.hasAttribute(seen));
    return errors.length ? errors[errors.length - 1].innerText : null;
  };
  const markSeen = (seen) => {
    for (const el of document.querySelectorAll('.el-message, .el-form-item__error, .el-message-box__wrapper'))
      el.setAttribute(seen, '1');
  };
"""

ITEM = "data-autofill-item"
GONE = "__autofill_gone__"  # on_item: no element has the selector
TIMED_OUT = "__autofill_timed_out__"  # waiting: the predicate never held
UNSETTLED = "__autofill_unsettled__"  # STATE_JS, READ_JS: the field was still loading when the time was up


def waiting(predicate: str) -> str:
    """A script `([arg, timeout]) => …` resolving with `predicate(arg)`'s first truthy answer (the predicate
    may use the helpers above: fold, tight, visible), or null after `timeout` ms. See `until`."""
    return f"""async ([arg, timeout]) => {{{_HELPERS}
  const predicate = ({predicate});
  const answer = await until(() => predicate(arg), timeout);
  return answer === null ? {{{TIMED_OUT}: true}} : answer;
}}"""


def on_item(script: str) -> str:
    """`script` (`(item, arg) => …`) run on the element a selector finds: `([selector, arg]) => …`;
    {GONE: true} when nothing matches."""
    return f"""([selector, arg]) => {{
  const item = document.querySelector(selector);
  return item ? ({script})(item, arg) : {{{GONE}: true}};
}}"""


# The visible `.el-form-item` labelled so — in the visible dialog titled `dialog`, or anywhere when null —
# tagged with a fresh ITEM token so the next calls reach it by a plain CSS selector (for `waiting`).
FIND = f"""([dialog, label]) => {{
  const root = dialog === null ? document : [...document.querySelectorAll('.el-dialog')].find((d) =>
    visible(d) && [...d.querySelectorAll('.el-dialog__title')].some((t) => tight(t.textContent) === tight(dialog)));
  const found = root && [...root.querySelectorAll('.el-form-item__label')]
    .find((l) => visible(l) && tight(l.textContent) === tight(label));
  if (!found) return false;
  window.__autofillItems = (window.__autofillItems || 0) + 1;
  const token = String(window.__autofillItems);
  found.parentElement.setAttribute('{ITEM}', token);
  return token;
}}"""

# Before a write, once the field has settled (`settle`, up to `timeout` ms): what it shows, whether every
# control in it is disabled (under review); every message on the page so far is marked seen. {UNSETTLED: true}
# when it never settled, {GONE: true} when the page dropped it meanwhile.
STATE_JS = f"""async (item, [kind, present, sample, seen, timeout]) => {{{_HELPERS}
  const steady = await settle(item, kind, timeout);
  if (!item.isConnected) return {{{GONE}: true}};
  if (!steady) return {{{UNSETTLED}: true}};
  markSeen(seen);
  const controls = [...item.querySelectorAll('input:not([type=file]), textarea, button')];
  return {{value: read(item, kind, present, sample),
           locked: controls.length > 0 && controls.every((c) => c.disabled)}};
}}"""

# What the field shows once it has settled: {value}, or {UNSETTLED: true} / {GONE: true} as STATE_JS.
READ_JS = f"""async (item, [kind, present, sample, timeout]) => {{{_HELPERS}
  const steady = await settle(item, kind, timeout);
  if (!item.isConnected) return {{{GONE}: true}};
  return steady ? {{value: read(item, kind, present, sample)}} : {{{UNSETTLED}: true}};
}}"""

MARK_SEEN_JS = f"""(seen) => {{{_HELPERS}
  markSeen(seen);
}}"""

# The newest error message the page showed since the messages were marked seen, or null.
NEW_ERROR_JS = f"""(seen) => {{{_HELPERS}
  return newError(seen);
}}"""

# After a write: the newest error message the page showed since, and what the field shows now (after Vue
# has rendered the change, a macrotask later, and the field has settled: up to `timeout` ms, then as it is).
AFTER_JS = f"""async (item, [kind, present, sample, seen, timeout]) => {{{_HELPERS}
  await sleep(0);
  await settle(item, kind, timeout);
  return {{error: newError(seen), value: read(item, kind, present, sample)}};
}}"""

# Types a text as a person does: the input event Vue's v-model takes, change, then blur (el-form rules
# with trigger "blur" run). false: there is no enabled box to type in.
TYPE_JS = """(item, value) => {
  const box = item.querySelector('input.el-input__inner, textarea.el-textarea__inner');
  if (!box || box.disabled || box.readOnly) return false;
  box.focus();
  box.value = value;
  box.dispatchEvent(new Event('input', {bubbles: true}));
  box.dispatchEvent(new Event('change', {bubbles: true}));
  if (document.activeElement === box) box.blur();
  else box.dispatchEvent(new FocusEvent('blur'));
  return true;
}"""

# Opens the `index`-th el-select of the item (waiting until it is enabled), waits for its options (they
# may still be loading) and clicks the one whose text is `wanted` (folded), then waits for the dropdown to close.
# Closed dropdowns stay in the DOM (appended to body), so the visible one is the one just opened.
# Answers {chosen: true}, {offered: [texts]} (the dropdown closed again), or {timeout: what}.
PICK_JS = f"""async (item, [index, wanted, timeout]) => {{{_HELPERS}
  const select = item.querySelectorAll('.el-select')[index];
  if (!select) return {{timeout: 'select'}};
  const input = select.querySelector('.el-input__inner');
  if (!await until(() => !select.querySelector('.el-input.is-disabled'), timeout)) return {{timeout: 'enabled'}};
  const dropdown = () => [...document.querySelectorAll('.el-select-dropdown')].find(visible);
  input.click();
  const items = await until(() => {{
    const open = dropdown();
    const lis = open ? [...open.querySelectorAll('li.el-select-dropdown__item')] : [];
    return lis.length ? lis : null;
  }}, timeout);
  if (!items) return {{timeout: 'options'}};
  const texts = items.map((li) => fold(li.innerText));
  const at = texts.indexOf(wanted);
  if (at < 0) {{
    if (dropdown()) input.click();
    return {{offered: texts}};
  }}
  items[at].click();
  return (await until(() => !dropdown(), timeout)) ? {{chosen: true}} : {{timeout: 'close'}};
}}"""
