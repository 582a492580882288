/* Municipality maps: polygons from the app's own GeoJSON, no tile server unless configured. */
(function () {
  "use strict";

  var numberFormat = new Intl.NumberFormat(document.documentElement.lang || "de");

  function escapeHtml(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  function sourceLinks() {
    var script = document.getElementById("map-sources");
    var sources = script ? JSON.parse(script.textContent) : [];
    return sources.map(function (source) {
      var text = escapeHtml(source.text);
      if (!source.url) return text;
      return '<a href="' + escapeHtml(source.url).replace(/"/g, "&quot;") + '">' + text + "</a>";
    });
  }

  function hatchPattern(map) {
    // Areas without a published value are hatched, so they never read as the lowest class.
    var svg = map.getPanes().overlayPane.querySelector("svg");
    if (!svg || svg.querySelector("#hidden-hatch")) return;
    var ns = "http://www.w3.org/2000/svg";
    var defs = document.createElementNS(ns, "defs");
    var pattern = document.createElementNS(ns, "pattern");
    pattern.setAttribute("id", "hidden-hatch");
    pattern.setAttribute("width", "6");
    pattern.setAttribute("height", "6");
    pattern.setAttribute("patternUnits", "userSpaceOnUse");
    pattern.setAttribute("patternTransform", "rotate(45)");
    var background = document.createElementNS(ns, "rect");
    background.setAttribute("width", "6");
    background.setAttribute("height", "6");
    background.setAttribute("fill", "#ffffff");
    var line = document.createElementNS(ns, "rect");
    line.setAttribute("width", "2");
    line.setAttribute("height", "6");
    line.setAttribute("fill", "#8c9795");
    pattern.appendChild(background);
    pattern.appendChild(line);
    defs.appendChild(pattern);
    svg.insertBefore(defs, svg.firstChild);
  }

  function styleFor(feature) {
    var highlight = feature.properties.highlight;
    var p = feature.properties;
    if (p.hidden || (p.value === null && !p.fill)) {
      return { color: "#ffffff", weight: 1, fillColor: "url(#hidden-hatch)", fillOpacity: 1,
               className: "area-shape area-hidden" };
    }
    var fill = feature.properties.fill || (highlight ? "#1f5f5b" : "#8fbcb8");
    return {
      color: "#ffffff",
      weight: 1,
      fillColor: fill,
      fillOpacity: feature.properties.fill || highlight ? 1 : 0.75,
      className: "area-shape",
    };
  }

  function tooltipFor(feature, populationLabel) {
    var p = feature.properties;
    var text = "<strong>" + escapeHtml(p.name) + "</strong>";
    if (p.label !== undefined) {
      if (p.hidden) return text + "<br>–";
      if (p.value === null || p.value === undefined) {
        return p.label ? text + "<br>" + escapeHtml(p.label) : text;
      }
      return text + "<br>" + numberFormat.format(p.value) + " " + escapeHtml(p.label);
    }
    if (p.population !== null && p.population !== undefined) {
      text += "<br>" + escapeHtml(populationLabel) + ": " + numberFormat.format(p.population);
    }
    return text;
  }

  function drawMap(element) {
    var map = L.map(element, {
      zoomSnap: 0.25,
      attributionControl: true,
      keyboard: true,
    });
    map.attributionControl.setPrefix(false);
    sourceLinks().forEach(function (html) {
      map.attributionControl.addAttribution(html);
    });
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, {
        attribution: element.dataset.tilesAttribution || "",
        maxZoom: 18,
      }).addTo(map);
    }
    fetch(element.dataset.geojson, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          style: styleFor,
          onEachFeature: function (feature, shape) {
            shape.bindTooltip(tooltipFor(feature, element.dataset.populationLabel), {
              sticky: true,
            });
            shape.on("click", function () {
              window.location.href = feature.properties.url;
            });
            shape.on("mouseover", function () {
              shape.setStyle({ weight: 3, color: "#0b2e2c" });
              shape.bringToFront();
            });
            shape.on("mouseout", function () {
              layer.resetStyle(shape);
            });
          },
        }).addTo(map);
        map.fitBounds(layer.getBounds(), { padding: [8, 8] });
        hatchPattern(map);
        // Paths exist once the map has a view; the key lets tests and tools find a shape.
        layer.eachLayer(function (shape) {
          shape.getElement().setAttribute("data-key", shape.feature.properties.key);
        });
        element.dataset.loaded = String(data.features.length);
      })
      .catch(function (error) {
        console.error("Karte:", error);
        var message = element.parentNode.querySelector(".map-error");
        if (message) message.hidden = false;
      });
  }

  document.querySelectorAll(".map[data-geojson]").forEach(drawMap);
})();
