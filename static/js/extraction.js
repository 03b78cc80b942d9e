// The review page without this script: copy a missed sentence's words into "Mark a
// sentence". With it: selecting words in the text fills that field.
document.addEventListener("DOMContentLoaded", function () {
  var text = document.getElementById("source-text");
  var field = document.getElementById("id_words");
  if (!text || !field) {
    return;
  }
  text.addEventListener("mouseup", function () {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !text.contains(selection.anchorNode)) {
      return;
    }
    var words = selection.toString().trim();
    if (words) {
      field.value = words;
    }
  });
});
