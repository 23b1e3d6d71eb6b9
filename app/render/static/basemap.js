/* EcoMap base map: draws Natural Earth land, borders and regions under a geographic map.
 *
 * The page's data carries `basemap` (app/render/basemap.py): the frame drawn to scale,
 * land rings and lines already projected to canvas coordinates (delta-encoded integers),
 * and the edge markers of distant organizations. Everything is drawn on vis-network's own
 * canvas, in canvas coordinates, so it pans, zooms and goes into the PNG with the network.
 * Nothing is fetched. window.EcoMapBasemap.attach(network, basemap) returns {fit, style}.
 */
(function () {
  "use strict";

  var STYLE = {
    sea: "#e4eef6",
    land: "#f4f1e8",
    shore: "#9db3c6",
    border: "#7d8a97",
    region: "#b4bec8",
    frame: "#a9b6c3",
    marker: "#55657a",
  };

  function addLine(path, flat, close) {
    var x = flat[0], y = flat[1];
    path.moveTo(x, y);
    for (var i = 2; i < flat.length; i += 2) {
      x += flat[i];
      y += flat[i + 1];
      path.lineTo(x, y);
    }
    if (close) path.closePath();
  }

  function linePath(lines) {
    var path = new Path2D();
    (lines || []).forEach(function (flat) { addLine(path, flat, false); });
    return path;
  }

  function attach(network, map) {
    var land = (map.land || []).map(function (rings) {
      var path = new Path2D();
      rings.forEach(function (flat) { addLine(path, flat, true); });
      return path;
    });
    var borders = linePath(map.borders);
    var regions = linePath(map.regions);
    var frame = map.frame;
    var markers = map.markers || [];

    function reach(marker) {
      /* how far from its anchor the marker's organizations extend, in canvas units */
      var far = 0;
      var positions = network.getPositions(marker.ids);
      marker.ids.forEach(function (id) {
        var at = positions[id];
        var node = network.body.nodes[id];
        if (!at || !node) return;
        var size = node.options.size || 10;
        far = Math.max(far, Math.hypot(at.x - marker.x, at.y - marker.y) + size);
      });
      return far;
    }

    network.on("beforeDrawing", function (ctx) {
      var px = 1 / network.getScale();
      var w = frame[2] - frame[0], h = frame[3] - frame[1];
      ctx.save();
      ctx.beginPath();
      ctx.rect(frame[0], frame[1], w, h);
      ctx.clip();
      ctx.fillStyle = STYLE.sea;
      ctx.fillRect(frame[0], frame[1], w, h);
      ctx.lineJoin = "round";
      ctx.lineCap = "round";
      ctx.fillStyle = STYLE.land;
      ctx.strokeStyle = STYLE.shore;
      ctx.lineWidth = 1.2 * px;
      land.forEach(function (path) {
        ctx.fill(path, "evenodd");
        ctx.stroke(path);
      });
      ctx.strokeStyle = STYLE.region;
      ctx.lineWidth = 1 * px;
      ctx.setLineDash([5 * px, 4 * px]);
      ctx.stroke(regions);
      ctx.setLineDash([]);
      ctx.strokeStyle = STYLE.border;
      ctx.lineWidth = 1.6 * px;
      ctx.stroke(borders);
      ctx.restore();
      ctx.strokeStyle = STYLE.frame;
      ctx.lineWidth = 1.5 * px;
      ctx.strokeRect(frame[0], frame[1], w, h);
    });

    network.on("afterDrawing", function (ctx) {
      if (!markers.length) return;
      var px = 1 / network.getScale();
      ctx.save();
      ctx.strokeStyle = STYLE.marker;
      ctx.fillStyle = STYLE.marker;
      ctx.lineWidth = 2 * px;
      ctx.font = 12 * px + "px system-ui, sans-serif";
      var placed = [];
      markers.forEach(function (marker) {
        var start = reach(marker) + 4 * px;
        var length = 26 * px;
        var x0 = marker.x + marker.dx * start, y0 = marker.y + marker.dy * start;
        var x1 = x0 + marker.dx * length, y1 = y0 + marker.dy * length;
        ctx.beginPath();
        ctx.moveTo(x0, y0);
        ctx.lineTo(x1, y1);
        ctx.stroke();
        var head = 7 * px, angle = Math.atan2(marker.dy, marker.dx);
        ctx.beginPath();
        ctx.moveTo(x1 + Math.cos(angle) * head * 0.4, y1 + Math.sin(angle) * head * 0.4);
        ctx.lineTo(x1 - Math.cos(angle - 0.5) * head, y1 - Math.sin(angle - 0.5) * head);
        ctx.lineTo(x1 - Math.cos(angle + 0.5) * head, y1 - Math.sin(angle + 0.5) * head);
        ctx.closePath();
        ctx.fill();
        var align = marker.dx > 0.35 ? "left" : marker.dx < -0.35 ? "right" : "center";
        var base = marker.dy > 0.35 ? "top" : marker.dy < -0.35 ? "bottom" : "middle";
        ctx.textAlign = align;
        ctx.textBaseline = base;
        var gap = 6 * px, line = 15 * px;
        var tx = x1 + marker.dx * gap, ty = y1 + marker.dy * gap;
        var width = ctx.measureText(marker.label).width;
        var left = align === "left" ? tx : align === "right" ? tx - width : tx - width / 2;
        var rect = function (y) {
          var top = base === "top" ? y : base === "bottom" ? y - line : y - line / 2;
          return [left, top, left + width, top + line];
        };
        /* a label that would cover an earlier one moves outward (or down), a line at a time */
        var step = marker.dy < -0.35 ? -line : line;
        for (var tries = 0; tries < 8 && placed.some(function (r) {
          var b = rect(ty);
          return b[0] < r[2] && r[0] < b[2] && b[1] < r[3] && r[1] < b[3];
        }); tries++) ty += step;
        placed.push(rect(ty));
        ctx.fillText(marker.label, tx, ty);
      });
      ctx.restore();
    });

    function fit(animate) {
      /* show the whole frame and every organization (markers and the unplaced grid too) */
      var x0 = frame[0], y0 = frame[1], x1 = frame[2], y1 = frame[3];
      var positions = network.getPositions();
      Object.keys(positions).forEach(function (id) {
        var at = positions[id];
        x0 = Math.min(x0, at.x); y0 = Math.min(y0, at.y);
        x1 = Math.max(x1, at.x); y1 = Math.max(y1, at.y);
      });
      var box = network.body.container.getBoundingClientRect();
      /* pixels kept free around it for node radii and, beside markers, arrows and labels */
      var side = markers.length ? 170 : 30, top = markers.length ? 80 : 30;
      var scale = Math.min(
        Math.max(box.width - 2 * side, box.width / 2) / Math.max(x1 - x0, 1),
        Math.max(box.height - 2 * top, box.height / 2) / Math.max(y1 - y0, 1)
      );
      network.moveTo({
        position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 },
        scale: scale,
        animation: animate ? { duration: 300 } : false,
      });
    }

    return { fit: fit, style: STYLE };
  }

  window.EcoMapBasemap = { attach: attach, style: STYLE };
})();
