#!/usr/bin/env node
// Run Python asyncio examples on the virtual-clock loop under CPython 3.14 (pyodide in node).
//
//   node pyodide_run.mjs FILE [--wall-start EPOCH_SECONDS]
//   node pyodide_run.mjs --batch LIST      (LIST: one `FILE [WALL_START]` per line; '#' comments)
//   --iterations: stamp `[S.mmm #N] ` instead, N = the loop iteration that printed (a debug aid)
//
// Same output as run_example.py (which this loads into pyodide and calls): `[S.mmm] line` on
// stdout, warnings and tracebacks on stderr. Loading pyodide takes ~3 s, so --batch runs many
// files in one process, framing each on stdout with `=== begin FILE` / `=== end FILE rc=N`
// (and `=== begin FILE` on stderr). Pyodide is loaded offline from ./node_modules (setup.sh).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

process.env.TZ = "UTC"; // JavaScript's Date (pyodide's localtime) in UTC; vloop uses UTC anyway

const here = path.dirname(fileURLToPath(import.meta.url));
const pyodideDir = path.join(here, "node_modules", "pyodide");

function usage(msg) {
  if (msg) process.stderr.write(`pyodide_run: ${msg}\n`);
  process.stderr.write("usage: pyodide_run.mjs [--iterations] FILE [--wall-start EPOCH_SECONDS] | --batch LIST\n");
  process.exit(2);
}

// --- arguments ---
let file = null, wallStart = "0", batch = null, iterations = false;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--wall-start" || a === "--batch") {
    if (i + 1 >= args.length) usage(`${a} needs a value`);
    if (a === "--wall-start") wallStart = args[++i]; else batch = args[++i];
  } else if (a === "--iterations") iterations = true;
  else if (a.startsWith("--wall-start=")) wallStart = a.slice(13);
  else if (a.startsWith("--batch=")) batch = a.slice(8);
  else if (a.startsWith("-")) usage(`unknown option ${a}`);
  else if (file === null) file = a;
  else usage(`unexpected argument ${a}`);
}
if ((file === null) === (batch === null)) usage("give FILE or --batch LIST");
if (!/^-?\d+(\.\d+)?$/.test(wallStart)) usage(`bad --wall-start ${wallStart}`);

if (!fs.existsSync(path.join(pyodideDir, "pyodide.mjs"))) {
  process.stderr.write(`pyodide_run: pyodide is not installed in ${pyodideDir}; run tests/oracle/setup.sh\n`);
  process.exit(2);
}

// --- load pyodide and the oracle ---
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const py = await loadPyodide({ indexURL: pyodideDir + path.sep });
// Python's stdout/stderr go straight to our fds, synchronously, in the order Python writes.
// A pipe may be non-blocking and full (EAGAIN) or take part of a buffer: retry until written.
function writeAll(fd, buf) {
  for (let off = 0; off < buf.length;) {
    try { off += fs.writeSync(fd, buf, off); } catch (e) { if (e.code !== "EAGAIN") throw e; }
  }
  return buf.length;
}
py.setStdout({ write: (buf) => writeAll(1, buf) });
py.setStderr({ write: (buf) => writeAll(2, buf) });

py.FS.mkdirTree("/oracle");
for (const name of ["vloop.py", "run_example.py"])
  py.FS.writeFile(`/oracle/${name}`, fs.readFileSync(path.join(here, name)));
// vloop.py imports the shared loop from sim/python (the recorder's package): /oracle/../../sim/python
const pkg = path.join(here, "..", "..", "sim", "python", "awaitlab_record");
py.FS.mkdirTree("/sim/python/awaitlab_record");
for (const name of fs.readdirSync(pkg).filter((n) => n.endsWith(".py")))
  py.FS.writeFile(`/sim/python/awaitlab_record/${name}`, fs.readFileSync(path.join(pkg, name)));
py.runPython("import sys; sys.path.insert(0, '/oracle')");
const runner = py.pyimport("run_example");

// The examples are read from the host's file system by node (relative to the cwd).
const read = (p) => fs.readFileSync(p, "utf8");

let rc;
if (batch !== null) {
  let list;
  try { list = read(batch); } catch (e) { usage(`cannot read ${batch}: ${e.message}`); }
  rc = runner.run_batch(runner.read_list(list), read, iterations);
} else {
  let source;
  try { source = read(file); } catch (e) { usage(`cannot read ${file}: ${e.message}`); }
  rc = runner.run_source(source, file, wallStart, iterations);
}
process.exitCode = rc;
