/* One-map view: draws the layers embedded in #map-data with Leaflet (no network access). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var T = data.text;
  var map = L.map("map", { zoomSnap: 0.25, preferCanvas: false, fadeAnimation: false });
  if (data.tiles) {
    L.tileLayer(data.tiles, { attribution: data.tilesAttribution || "", maxZoom: 18 }).addTo(map);
  }
  var groups = {}, overlays = {}, index = [];

  function isArea(f) { return /Polygon/.test(f.geometry.type); }

  data.layers.forEach(function (lay) {
    var cls = "lg-" + lay.key;
    var group = L.geoJSON(lay.features, {
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, {
          radius: f.properties.radius || 6, color: "#222", weight: 1,
          fillColor: f.properties.color || "#3182bd", fillOpacity: 0.85, className: cls
        });
      },
      style: function (f) {
        var p = f.properties;
        if (isArea(f)) {
          return { color: p.color, weight: 1.5, fillColor: p.color, fillOpacity: 0.35, className: cls };
        }
        return {
          color: p.color || "#555", weight: lay.key === "routes" ? 2.5 : lay.key === "critical" ? 6 : 4, opacity: 0.85,
          dashArray: p.dash ? "8 5" : null, className: cls
        };
      },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        if (p.popup) { layer.bindPopup(p.popup, { maxWidth: 380 }); }
        if (p.name) {
          layer.bindTooltip(p.name, { sticky: true });
          index.push({ name: p.name, layer: layer, key: lay.key });
        }
      }
    });
    groups[lay.key] = group;
    overlays[lay.name] = group;
    if (lay.visible) { group.addTo(map); }
  });

  /* trucks at hour h, from the route legs (t0, t1 and the leg's road geometry) */
  var trucks = {}, truckLayer = null, hourLabel = null;
  if (data.hours && groups.routes) {
    groups.routes.eachLayer(function (l) {
      var p = l.feature.properties;
      (trucks[p.truck] = trucks[p.truck] || []).push({ t0: p.t0, t1: p.t1, pts: l.getLatLngs(), color: p.color });
    });
    truckLayer = L.layerGroup();
    Object.keys(trucks).sort().forEach(function (id) {
      var legs = trucks[id].sort(function (a, b) { return a.t0 - b.t0; });
      var m = L.circleMarker(legs[0].pts[0], {
        radius: 5, color: "#000", weight: 1, fillColor: legs[0].color, fillOpacity: 1, className: "lg-trucks"
      }).bindTooltip(id);
      m.legs = legs;
      truckLayer.addLayer(m);
    });
    overlays[T.trucks] = truckLayer;
    truckLayer.addTo(map);
  }

  function along(pts, frac) {
    if (pts.length < 2) { return pts[0]; }
    var d = [0], i;
    for (i = 1; i < pts.length; i++) { d.push(d[i - 1] + map.distance(pts[i - 1], pts[i])); }
    var want = frac * d[d.length - 1];
    for (i = 1; i < pts.length; i++) {
      if (d[i] >= want) {
        var seg = d[i] - d[i - 1], f = seg > 0 ? (want - d[i - 1]) / seg : 0;
        return L.latLng(pts[i - 1].lat + f * (pts[i].lat - pts[i - 1].lat),
                        pts[i - 1].lng + f * (pts[i].lng - pts[i - 1].lng));
      }
    }
    return pts[pts.length - 1];
  }

  function setHour(h) {
    if (!truckLayer) { return; }
    truckLayer.eachLayer(function (m) {
      var legs = m.legs, pos = legs[0].pts[0];
      for (var k = 0; k < legs.length; k++) {
        var g = legs[k];
        if (h < g.t0) { break; }
        if (h <= g.t1) { pos = along(g.pts, g.t1 > g.t0 ? (h - g.t0) / (g.t1 - g.t0) : 1); break; }
        pos = g.pts[g.pts.length - 1];
      }
      m.setLatLng(pos);
    });
    if (hourLabel) { hourLabel.textContent = T.hour.replace("{h}", h.toFixed(2)); }
  }

  L.control.layers(null, overlays, { collapsed: false, position: "topright" }).addTo(map);

  /* title */
  var title = L.control({ position: "topleft" });
  title.onAdd = function () {
    var div = L.DomUtil.create("div", "lg-title");
    div.innerHTML = "<h1></h1><div class='sub'></div>";
    div.querySelector("h1").textContent = data.title;
    div.querySelector(".sub").textContent = data.subtitle;
    return div;
  };
  title.addTo(map);

  /* search by place name */
  var search = L.control({ position: "topleft" });
  search.onAdd = function () {
    var div = L.DomUtil.create("div", "lg-search no-print");
    var input = L.DomUtil.create("input", "", div);
    input.type = "search"; input.placeholder = T.search; input.id = "lg-search";
    input.setAttribute("list", "lg-names");
    var list = L.DomUtil.create("datalist", "", div);
    list.id = "lg-names";
    Array.from(new Set(index.map(function (e) { return e.name; }))).sort().forEach(function (n) {
      var o = document.createElement("option"); o.value = n; list.appendChild(o);
    });
    L.DomEvent.disableClickPropagation(div);
    input.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { find(input.value); } });
    input.addEventListener("change", function () { find(input.value); });
    return div;
  };
  search.addTo(map);

  function find(text) {
    text = (text || "").trim();
    if (!text) { return null; }
    var hit = index.find(function (e) { return e.name === text; }) ||
              index.find(function (e) { return e.name.indexOf(text) >= 0; });
    if (!hit) { return null; }
    map.closePopup();
    if (!map.hasLayer(groups[hit.key])) { groups[hit.key].addTo(map); }
    if (hit.layer.getBounds) { map.fitBounds(hit.layer.getBounds(), { maxZoom: 13 }); }
    else { map.setView(hit.layer.getLatLng(), Math.max(map.getZoom(), 12)); }
    hit.layer.openPopup();
    return hit.name;
  }

  /* time slider */
  if (truckLayer) {
    var slider = L.control({ position: "bottomleft" });
    slider.onAdd = function () {
      var div = L.DomUtil.create("div", "lg-slider");
      hourLabel = L.DomUtil.create("div", "", div);
      var r = L.DomUtil.create("input", "", div);
      r.type = "range"; r.id = "lg-hour"; r.step = "0.25";
      r.min = Math.floor(data.hours[0]); r.max = Math.ceil(data.hours[1]); r.value = r.min;
      L.DomEvent.disableClickPropagation(div);
      r.addEventListener("input", function () { setHour(parseFloat(r.value)); });
      return div;
    };
    slider.addTo(map);
    setHour(Math.floor(data.hours[0]));
  }

  /* legend and notes */
  var legend = L.control({ position: "bottomright" });
  legend.onAdd = function () {
    var div = L.DomUtil.create("div", "lg-legend");
    var html = "<b>" + T.legend + "</b>";
    data.layers.forEach(function (lay) {
      lay.legend.forEach(function (e) {
        html += "<div><span class='sw " + e.shape + "' style='background:" + e.color + "'></span>" +
                e.label + "</div>";
      });
    });
    div.innerHTML = html;
    data.notes.forEach(function (n) {
      var p = L.DomUtil.create("div", "note", div); p.textContent = n;
    });
    return div;
  };
  legend.addTo(map);

  /* print on A3 landscape */
  var printer = L.control({ position: "topleft" });
  printer.onAdd = function () {
    var b = L.DomUtil.create("button", "lg-print no-print");
    b.type = "button"; b.textContent = T.print;
    L.DomEvent.on(b, "click", function (ev) { L.DomEvent.stop(ev); window.print(); });
    return b;
  };
  printer.addTo(map);

  function fit() {
    if (data.bounds) { map.fitBounds([[data.bounds[1], data.bounds[0]], [data.bounds[3], data.bounds[2]]], { padding: [20, 20] }); }
    else { map.setView([35, 105], 4); }
  }
  window.addEventListener("beforeprint", function () { map.invalidateSize(); fit(); });
  window.addEventListener("afterprint", function () { map.invalidateSize(); });
  fit();

  window.logisticsMap = { map: map, groups: groups, find: find, setHour: setHour, trucks: truckLayer };
  document.body.setAttribute("data-ready", "1");
})();
