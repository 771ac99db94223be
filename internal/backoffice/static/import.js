// Import progress: while the upload is sent and imported, poll the
// import's progress (rows checked of rows in the file) into the bar.
(function () {
  var form = document.getElementById('import-form');
  var box = document.getElementById('import-progress');
  if (!form || !box) return;
  var bar = document.getElementById('import-progress-bar');
  var text = document.getElementById('import-progress-text');
  var id = form.querySelector('input[name=progress]').value;
  form.addEventListener('submit', function () {
    box.hidden = false;
    var button = document.getElementById('import-submit');
    if (button) button.disabled = true;
    var poll = function () {
      fetch('/import/progress/' + id, {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
        .then(function (r) { return r.json(); })
        .then(function (p) {
          text.textContent = p.text || '';
          if (p.total > 0) { bar.max = p.total; bar.value = p.done; } else { bar.removeAttribute('value'); }
          if (p.phase !== 'done') setTimeout(poll, 500);
        })
        .catch(function () { setTimeout(poll, 1000); });
    };
    setTimeout(poll, 300);
  });
})();
