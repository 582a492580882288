/* Live check of a proposed move: the server says which rules it would break, before submitting. */
(function () {
  "use strict";

  document.querySelectorAll(".move-form[data-check-url]").forEach(function (form) {
    var output = form.querySelector(".move-check");
    var button = form.querySelector("button[type=submit]");
    var municipality = form.querySelector("[name=gemeinde]");
    var space = form.querySelector("[name=raum]");
    var latest = 0; // answers can arrive out of order: only the newest question counts

    function show(result) {
      output.textContent = "";
      output.classList.toggle("move-ok", result.ok);
      output.classList.toggle("move-refused", !result.ok);
      if (result.ok) {
        output.textContent = form.dataset.okText;
      } else {
        var list = document.createElement("ul");
        result.messages.forEach(function (message) {
          var item = document.createElement("li");
          item.textContent = message;
          list.appendChild(item);
        });
        output.appendChild(list);
      }
      button.disabled = !result.ok;
    }

    function check() {
      var ticket = ++latest;
      output.textContent = "";
      delete form.dataset.checked;
      var selection = municipality.value + ":" + space.value;
      var query = new URLSearchParams({ gemeinde: municipality.value, raum: space.value });
      fetch(form.dataset.checkUrl + "?" + query.toString(), { headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (result) {
          if (ticket !== latest) return;
          show(result);
          form.dataset.checked = selection; // which choice the message belongs to
        })
        .catch(function (error) {
          if (ticket !== latest) return;
          console.error("Prüfung:", error);
          button.disabled = false; // the server checks again on submit
        });
    }

    municipality.addEventListener("change", check);
    space.addEventListener("change", check);
    check();
  });
})();
