// The review view (dashboard/review/doc_view.py) in the browser: the keys j/k (move between figures),
// a (accept), r (reject), e (edit), and the text selection as character offsets of the stored text.
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

    document.addEventListener("keydown", function (event) {
        if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
        const all = rows();
        if (!all.length) { return; }
        const current = document.activeElement && document.activeElement.closest
            ? document.activeElement.closest("tr.review-row") : null;
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
            if (key === "e") {
                currentKey = null;  // the edit form takes the focus
                setTimeout(function () {
                    const input = document.getElementById('{"rv":"edit-value"}');
                    if (input) { input.focus(); }
                }, 300);
            }
        }
    });

    // The facts table is drawn again after each decision: the focus comes back to the same figure's row
    let currentKey = null;
    new MutationObserver(function () {
        if (currentKey === null || (document.activeElement && document.activeElement !== document.body)) {
            return;
        }
        const row = rows().find(r => r.dataset.key === currentKey);
        if (row) { row.focus(); }
    }).observe(document.body, {childList: true, subtree: true});

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
