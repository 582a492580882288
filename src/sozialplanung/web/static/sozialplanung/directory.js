/* Directory maps: the places of the listed offers over the municipal outlines; the list on the
   page holds the same places, so the map is an addition, never the only way. */
(function () {
  "use strict";
  var element = document.getElementById("directory-map");
  var data = document.getElementById("directory-points");
  if (!element || !data || typeof L === "undefined") return;
  var points = JSON.parse(data.textContent);
  if (!points.length) { element.hidden = true; return; }

  var map = L.map(element, { scrollWheelZoom: false });
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { attribution: element.dataset.tilesAttribution || "" }).addTo(map);
  }
  var bounds = L.latLngBounds(points.map(function (p) { return [p.lat, p.lon]; }));
  map.fitBounds(bounds.pad(0.3), { maxZoom: 13 });

  if (element.dataset.outline) {
    fetch(element.dataset.outline).then(function (response) { return response.json(); })
      .then(function (outline) {
        L.geoJSON(outline, {
          interactive: false,
          style: { color: "#6f8583", weight: 1, fill: true, fillColor: "#eef3f2", fillOpacity: 0.6 }
        }).addTo(map).bringToBack();
      }).catch(function () { /* the points alone still show where */ });
  }

  points.forEach(function (p) {
    var marker = L.circleMarker([p.lat, p.lon], {
      radius: 7, color: "#ffffff", weight: 2, fillColor: "#1f5f5b", fillOpacity: 1
    }).addTo(map);
    var text = document.createElement("span");
    if (p.url) {
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.name;
      text.appendChild(link);
    } else {
      text.textContent = p.name;
    }
    if (p.place) text.appendChild(document.createTextNode(" – " + p.place));
    marker.bindPopup(text);
  });
}());
