// The review view (dashboard/review/doc_view.py) in the browser: the keys j/k (move between figures),
// a (accept), r (reject), e (edit), Enter in a form (save it), Escape in a form (back to the figure), and the
// text selection as character offsets of the stored text.
(function () {
    "use strict";

    function rows() {
        return Array.from(document.querySelectorAll("#review-facts tr.review-row"));
    }

    function typing(target) {
        return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    }

    function showSpan(row) {
        // the figure's <mark> in the text, scrolled into view and outlined while its row has focus
        document.querySelectorAll(".review-text .review-current").forEach(m => m.classList.remove("review-current"));
        const start = Number(row.dataset.start), end = Number(row.dataset.end);
        const marks = Array.from(document.querySelectorAll(".review-text mark")).filter(
            m => Number(m.dataset.start) >= start && Number(m.dataset.start) < end
        );
        marks.forEach(m => m.classList.add("review-current"));
        // scroll the text box only (scrollIntoView would move the page under a click in progress)
        const box = document.querySelector(".review-text");
        if (marks.length && box) {
            const top = marks[0].offsetTop;  // the box is positioned (sticky): offsets are within it
            if (top < box.scrollTop || top > box.scrollTop + box.clientHeight - 40) {
                box.scrollTop = Math.max(0, top - box.clientHeight / 3);
            }
        }
    }

    document.addEventListener("focusin", function (event) {
        const row = event.target.closest && event.target.closest("tr.review-row");
        if (row) {
            currentKey = row.dataset.key;
            showSpan(row);
        }
    });

    function currentRow(all) {
        // the focused figure's row; else (the focus is on a form's button, or was lost to a redraw) the last one
        const focused = document.activeElement && document.activeElement.closest
            ? document.activeElement.closest("tr.review-row") : null;
        return focused || all.find(r => r.dataset.key === currentKey) || null;
    }

    function backToRow() {
        const row = rows().find(r => r.dataset.key === currentKey);
        if (row) { row.focus(); }
    }

    function formKey(event) {
        // Enter in one of a form's text fields (not a dropdown's search box) saves the form; Escape leaves it
        // for the figure
        const panel = event.target.closest && event.target.closest(".rv-panel");
        const field = event.target.tagName === "INPUT" && event.target.id.startsWith('{"rv":');
        if (!panel || !field || (event.key !== "Enter" && event.key !== "Escape")) { return; }
        event.preventDefault();
        if (event.key === "Escape") { backToRow(); return; }
        const save = panel.querySelector("button[id$='-save\"}']");
        if (save) { save.click(); }
    }

    document.addEventListener("keydown", function (event) {
        if (event.ctrlKey || event.metaKey || event.altKey) { return; }
        if (typing(event.target)) { formKey(event); return; }
        const all = rows();
        if (!all.length) { return; }
        const current = currentRow(all);
        const at = all.indexOf(current);
        const key = event.key.toLowerCase();
        if (key === "j" || key === "k") {
            const next = key === "j" ? Math.min(at + 1, all.length - 1) : Math.max(at - 1, 0);
            all[at < 0 ? 0 : next].focus();
            event.preventDefault();
            return;
        }
        const button = {a: ".rv-accept", r: ".rv-reject", e: ".rv-edit"}[key];
        if (button && current) {
            current.querySelector(button).click();
            event.preventDefault();
            if (key === "e") {  // the edit form takes the focus; saving it brings the focus back here
                setTimeout(function () {
                    const input = document.getElementById('{"rv":"edit-value"}');
                    if (input) { input.focus(); }
                }, 300);
            }
        }
    });

    // The facts table is drawn again after each decision: the focus comes back to the same figure's row.
    // A correction saved brings it back there from the form once the row shows it; one refused (a bad
    // value, nothing changed) leaves the row as it was, and the focus in the form to fix it.
    let currentKey = null, sentRow = null;
    document.addEventListener("click", function (event) {
        if (event.target.closest && event.target.closest('[id=\'{"rv":"edit-save"}\']')) {
            const row = rows().find(r => r.dataset.key === currentKey);
            sentRow = row ? row.innerText : null;
        }
    });
    new MutationObserver(function () {
        const lost = !document.activeElement || document.activeElement === document.body;
        if (currentKey !== null && lost) { backToRow(); }
        if (sentRow === null || document.querySelector('#review-doc [data-dash-is-loading="true"]')) { return; }
        const row = rows().find(r => r.dataset.key === currentKey);
        if (row && row.innerText !== sentRow) {
            sentRow = null;
            row.focus();
        }
    }).observe(document.body, {childList: true, subtree: true, attributes: true,
                               attributeFilter: ["data-dash-is-loading"]});

    function offsetIn(node, offset) {
        // a DOM (node, offset) inside the document's text (.review-text) -> a character offset (code points) of the stored text
        const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
        const piece = element && element.closest ? element.closest("[data-start]") : null;
        const text = document.querySelector(".review-text");
        if (!piece || !text || !text.contains(piece)) { return null; }
        if (node.nodeType !== Node.TEXT_NODE) {
            return Number(piece.dataset.start) + (offset > 0 ? Array.from(piece.textContent).length : 0);
        }
        return Number(piece.dataset.start) + Array.from(node.textContent.slice(0, offset)).length;
    }

    document.addEventListener("selectionchange", function () {
        const selection = document.getSelection();
        if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return; }
        const range = selection.getRangeAt(0);
        const start = offsetIn(range.startContainer, range.startOffset);
        const end = offsetIn(range.endContainer, range.endOffset);
        if (start !== null && end !== null && end > start) {
            window.reviewSelection = {start: start, end: end};
        }
    });
})();
