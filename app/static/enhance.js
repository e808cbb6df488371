// The one script of the pages that load no browser app: buttons that need the
// browser itself. Everything else on those pages works as plain HTML.
for (const button of document.querySelectorAll('[data-print]')) {
  button.addEventListener('click', () => window.print());
}
