// The wizard's address fields follow the chosen country (progressive enhancement: the
// server already renders the fields of the country it knows). When the country changes,
// this reads the country's address form from the API (GET /api/v1/address-formats/CC/)
// and updates the labels, which fields show and are required, the list of states or
// provinces, and the postal code's example.
(function () {
  "use strict";
  var country = document.querySelector("select[data-address-format-url]");
  if (!country || !window.fetch) {
    return;
  }
  var form = country.form;

  function field(name) {
    return form.querySelector('[data-address-field="' + name + '"]');
  }

  function wrapper(input) {
    return input.closest(".field") || input.parentNode;
  }

  function setLabel(input, text) {
    var label = form.querySelector('label[for="' + input.id + '"]');
    if (label) {
      label.textContent = text;
    }
  }

  // The state is a list where the country has one, free text elsewhere.
  function stateControl(input, states, chooseLabel) {
    var wantList = states.length > 0;
    var control = input;
    if (wantList !== (input.tagName === "SELECT")) {
      control = document.createElement(wantList ? "select" : "input");
      if (!wantList) {
        control.type = "text";
        control.maxLength = 100;
      }
      Array.prototype.forEach.call(input.attributes, function (attribute) {
        if (attribute.name !== "type" && attribute.name !== "maxlength") {
          control.setAttribute(attribute.name, attribute.value);
        }
      });
      input.parentNode.replaceChild(control, input);
    }
    if (wantList) {
      var current = input.value;
      control.innerHTML = "";
      control.appendChild(new Option(chooseLabel, ""));
      states.forEach(function (state) {
        control.appendChild(new Option(state.name, state.value, false, state.value === current));
      });
    } else if (input !== control) {
      control.value = "";
    }
    return control;
  }

  function apply(format) {
    ["city", "state", "postal_code"].forEach(function (name) {
      var input = field(name);
      if (!input) {
        return;
      }
      if (name === "state") {
        var choose = input.tagName === "SELECT" && input.options.length ? input.options[0].text : "…";
        input = stateControl(input, format.states, choose);
      }
      setLabel(input, format.labels[name]);
      var used = format.fields.indexOf(name) !== -1;
      if (used) {
        input.removeAttribute("data-address-unused");
      } else {
        input.setAttribute("data-address-unused", "");
      }
      if (format.required.indexOf(name) !== -1) {
        input.setAttribute("aria-required", "true");
      } else {
        input.removeAttribute("aria-required");
      }
    });
    var postal = field("postal_code");
    if (postal) {
      var help = wrapper(postal).querySelector(".help");
      if (!help) {
        help = document.createElement("small");
        help.className = "help";
        postal.insertAdjacentElement("afterend", help);
      }
      help.textContent = format.postal_code_help;
      help.hidden = !format.postal_code_help;
    }
  }

  country.addEventListener("change", function () {
    var url = country.getAttribute("data-address-format-url").replace("/ZZ/", "/" + country.value + "/");
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (format) {
        if (format) {
          apply(format);
        }
      });
  });
})();
