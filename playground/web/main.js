// The page's side of the playground: loads the WebAssembly module built from
// playground/src/lib.rs, passes clicks and settings to it as numbers, and draws what it
// returns. No framework and no generated bindings: the module exports plain functions, and
// its buffers are read straight out of its memory.

const $ = (id) => document.getElementById(id);

// The colours of examples/mlp.rs's PNG: light regions, strong points.
const RED = [200, 30, 30];
const BLUE = [30, 60, 200];
const RED_REGION = [250, 190, 190];
const BLUE_REGION = [190, 205, 250];

let wasm; // the module's exports
let running = false; // training on every animation frame?
let history = []; // [step, loss] after each frame's steps, for the loss curve

async function load() {
  // fetch + instantiate rather than instantiateStreaming: the latter needs the server to
  // send application/wasm, which not every static server does.
  const bytes = await (await fetch("ferroflow_playground.wasm")).arrayBuffer();
  const { instance } = await WebAssembly.instantiate(bytes, {});
  wasm = instance.exports;
}

// A view of `length` f32 values at `pointer` in the module's memory. Made anew after every
// call: when the module's memory grows, earlier views of it are detached.
function floats(pointer, length) {
  return new Float32Array(wasm.memory.buffer, pointer, length);
}

// The plane's coordinates to the canvas's pixels and back (y grows upwards in the plane,
// downwards on the canvas).
function toCanvas(canvas, x, y) {
  const low = wasm.plane_low();
  const span = wasm.plane_high() - low;
  return [((x - low) / span) * canvas.width, (1 - (y - low) / span) * canvas.height];
}

function toPlane(canvas, px, py) {
  const low = wasm.plane_low();
  const span = wasm.plane_high() - low;
  return [low + (px / canvas.width) * span, low + (1 - py / canvas.height) * span];
}

// The decision regions: the module's grid of probabilities of blue, one pixel per cell on
// a small canvas, scaled up smoothly onto the plane so the boundary is not blocky.
const cells = document.createElement("canvas");

function drawPlane() {
  const canvas = $("plane");
  const context = canvas.getContext("2d");
  const size = wasm.grid_size();
  const grid = floats(wasm.grid(), size * size);
  cells.width = cells.height = size;
  const cellsContext = cells.getContext("2d");
  const image = cellsContext.createImageData(size, size);
  for (let i = 0; i < grid.length; i++) {
    const blue = grid[i];
    for (let c = 0; c < 3; c++) {
      image.data[4 * i + c] = RED_REGION[c] + blue * (BLUE_REGION[c] - RED_REGION[c]);
    }
    image.data[4 * i + 3] = 255;
  }
  cellsContext.putImageData(image, 0, 0);
  context.imageSmoothingEnabled = true;
  context.drawImage(cells, 0, 0, canvas.width, canvas.height);

  // The unit square's corners are the clusters' centres: faint lines through 0 and 1.
  context.strokeStyle = "rgba(0, 0, 0, 0.15)";
  context.beginPath();
  for (const v of [0, 1]) {
    const [x0, y0] = toCanvas(canvas, v, wasm.plane_low());
    const [x1, y1] = toCanvas(canvas, v, wasm.plane_high());
    context.moveTo(x0, y0);
    context.lineTo(x1, y1);
    const [a0, b0] = toCanvas(canvas, wasm.plane_low(), v);
    const [a1, b1] = toCanvas(canvas, wasm.plane_high(), v);
    context.moveTo(a0, b0);
    context.lineTo(a1, b1);
  }
  context.stroke();

  const count = wasm.point_count();
  const points = floats(wasm.points(), 3 * count);
  context.lineWidth = 1;
  context.strokeStyle = "black";
  for (let i = 0; i < count; i++) {
    const [px, py] = toCanvas(canvas, points[3 * i], points[3 * i + 1]);
    context.fillStyle = `rgb(${(points[3 * i + 2] ? BLUE : RED).join(",")})`;
    context.beginPath();
    context.arc(px, py, 5, 0, 2 * Math.PI);
    context.fill();
    context.stroke();
  }
}

// The loss after each frame's steps against the step, on a logarithmic scale: the loss
// falls by orders of magnitude, which a linear scale would flatten to nothing.
function drawLossCurve() {
  const canvas = $("loss-curve");
  const context = canvas.getContext("2d");
  context.fillStyle = "white";
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = "#555";
  context.font = "12px system-ui, sans-serif";
  const finite = history.filter(([, loss]) => Number.isFinite(loss) && loss > 0);
  if (finite.length < 2) {
    context.fillText("loss (log scale) against step: press Train", 8, 16);
    return;
  }
  const logs = finite.map(([, loss]) => Math.log10(loss));
  const top = Math.ceil(Math.max(...logs));
  const bottom = Math.min(Math.floor(Math.min(...logs)), top - 1);
  const lastStep = finite[finite.length - 1][0];
  const [left, right, up, down] = [44, canvas.width - 8, 8, canvas.height - 20];
  const x = (step) => left + (step / Math.max(lastStep, 1)) * (right - left);
  const y = (log) => up + ((top - log) / (top - bottom)) * (down - up);

  // A grid line and a label for each power of ten.
  context.strokeStyle = "#ddd";
  for (let p = bottom; p <= top; p++) {
    context.beginPath();
    context.moveTo(left, y(p));
    context.lineTo(right, y(p));
    context.stroke();
    context.fillText(`1e${p}`, 4, y(p) + 4);
  }
  context.fillText(`step ${lastStep}`, right - 70, canvas.height - 4);

  context.strokeStyle = "#222";
  context.lineWidth = 1.5;
  context.beginPath();
  finite.forEach(([step], i) => {
    const method = i === 0 ? "moveTo" : "lineTo";
    context[method](x(step), y(logs[i]));
  });
  context.stroke();
  context.lineWidth = 1;
}

function showStats() {
  $("steps").textContent = String(wasm.steps());
  const loss = wasm.loss();
  $("loss").textContent = Number.isFinite(loss) ? loss.toFixed(5) : "–";
  $("accuracy").textContent = wasm.point_count() ? `${(100 * wasm.accuracy()).toFixed(1)}%` : "–";
  $("points").textContent = String(wasm.point_count());
}

function draw() {
  drawPlane();
  drawLossCurve();
  showStats();
}

// The step to stop at, or Infinity when the field is empty.
function stopAt() {
  const value = parseInt($("stop-at").value, 10);
  return Number.isFinite(value) && value > 0 ? value : Infinity;
}

function setRunning(on) {
  running = on;
  $("train").textContent = on ? "Pause" : "Train";
  if (on) requestAnimationFrame(frame);
}

// One animation frame of training: a few steps, then one redraw, so the page stays
// responsive and the boundary moves visibly.
function frame() {
  if (!running) return;
  const perFrame = Math.max(1, parseInt($("speed").value, 10) || 1);
  const steps = Math.min(perFrame, stopAt() - wasm.steps());
  if (steps > 0) {
    const loss = wasm.train(steps);
    history.push([wasm.steps(), loss]);
  }
  draw();
  if (wasm.steps() >= stopAt()) {
    setRunning(false);
  } else {
    requestAnimationFrame(frame);
  }
}

// A new network (or fresh weights): its curve starts again from its first loss.
function restartHistory() {
  history = [[0, wasm.loss()]];
  draw();
}

function chooseNetwork() {
  const width = parseInt($("width").value, 10);
  if (!wasm.set_network(parseInt($("activation").value, 10), width)) {
    throw new Error(`no network of width ${width} on offer`);
  }
  $("width-label").textContent = String(width);
  restartHistory();
}

function wire() {
  $("train").addEventListener("click", () => setRunning(!running));
  $("reset").addEventListener("click", () => {
    wasm.reset_network();
    restartHistory();
  });
  $("width").addEventListener("change", chooseNetwork);
  $("activation").addEventListener("change", chooseNetwork);
  $("rate").addEventListener("change", () => wasm.set_learning_rate(parseFloat($("rate").value)));
  $("tutorial-points").addEventListener("click", () => {
    wasm.reset_points(1);
    draw();
  });
  $("clear-points").addEventListener("click", () => {
    wasm.reset_points(0);
    draw();
  });
  $("plane").addEventListener("click", (event) => {
    const canvas = event.currentTarget;
    // The canvas may be shown smaller than its pixels (max-width): scale the click.
    const box = canvas.getBoundingClientRect();
    const px = ((event.clientX - box.left) / box.width) * canvas.width;
    const py = ((event.clientY - box.top) / box.height) * canvas.height;
    const [x, y] = toPlane(canvas, px, py);
    const chosen = $("colour-blue").checked ? 1 : 0;
    wasm.add_point(x, y, event.shiftKey ? 1 - chosen : chosen);
    draw();
  });
}

async function main() {
  try {
    await load();
  } catch (error) {
    $("status").textContent = `Could not load the network: ${error}`;
    $("status").className = "error";
    throw error; // also to the console, where the browser test sees it
  }
  // Settings from the address, so a link (and the browser test) can fix them:
  // ?stop=200 stops training at step 200; ?speed=5 trains 5 steps per frame.
  const parameters = new URLSearchParams(location.search);
  if (parameters.has("stop")) $("stop-at").value = parameters.get("stop");
  if (parameters.has("speed")) $("speed").value = parameters.get("speed");
  // The form may keep choices across a reload: start from what it shows.
  wasm.set_learning_rate(parseFloat($("rate").value));
  if ($("width").value !== "16" || $("activation").value !== "0") chooseNetwork();
  $("batch").textContent = String(wasm.batch_size());
  wire();
  restartHistory();
  $("status").textContent = "Ready.";
  document.body.dataset.ready = "true";
}

main();
