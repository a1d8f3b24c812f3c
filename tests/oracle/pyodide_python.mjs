#!/usr/bin/env node
// A `python3 -m MODULE ARGS...` that is CPython 3.14 (pyodide in node), so that programs such as
// `awaitlab record --python tests/oracle/pyodide-python` run on the CPython the oracle runs.
//
//   node pyodide_python.mjs [-B] [-u] -m MODULE [ARGS...]
//
// Only what awaitlab record asks of an interpreter: -m (runpy, sys.argv as CPython sets it),
// PYTHONPATH, the current directory, stdout/stderr, the exit status (SystemExit's code), and the
// host's files. pyodide has its own file system, so each host directory the run needs (the
// current one, PYTHONPATH's, and those of the arguments that name paths) is mounted at its own
// path: the program reads and writes the same names as under python3, and traces name them so.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

process.env.TZ = "UTC"; // pyodide's localtime is JavaScript's Date

const here = path.dirname(fileURLToPath(import.meta.url));
const pyodideDir = path.join(here, "node_modules", "pyodide");

function fail(msg, code = 2) {
  process.stderr.write(`pyodide-python: ${msg}\n`);
  process.exit(code);
}

// --- arguments: interpreter options, then -m MODULE; the rest belongs to the module ---
const argv = process.argv.slice(2);
let i = 0, mod = null;
for (; i < argv.length; i++) {
  const a = argv[i];
  if (a === "-B" || a === "-u") continue; // no .pyc is ever written here; writes are unbuffered
  if (a === "-m") {
    if (i + 1 >= argv.length) fail("-m needs a module name");
    mod = argv[++i];
    i++;
    break;
  }
  fail(`unsupported option ${a} (only -B, -u and -m MODULE)`);
}
if (mod === null) fail("usage: pyodide_python.mjs [-B] [-u] -m MODULE [ARGS...]");
const moduleArgs = argv.slice(i);

if (!fs.existsSync(path.join(pyodideDir, "pyodide.mjs")))
  fail(`pyodide is not installed in ${pyodideDir}; run tests/oracle/setup.sh`);

// --- the host directories to mount: outermost only (a mount inside a mount is not needed) ---
const cwd = process.cwd();
const pythonPath = (process.env.PYTHONPATH || "").split(":").filter((p) => p).map((p) => path.resolve(p));
const wanted = [cwd, ...pythonPath];
for (const a of moduleArgs) {
  if (a.startsWith("-") || !a.includes("/") && !fs.existsSync(a)) continue;
  const abs = path.resolve(a);
  // a file that exists: its directory; an output to be written: the directory it goes to
  const dir = fs.existsSync(abs) && fs.statSync(abs).isDirectory() ? abs : path.dirname(abs);
  if (fs.existsSync(dir)) wanted.push(fs.realpathSync(dir));
}
const under = (p, root) => p === root || p.startsWith(root.endsWith("/") ? root : root + "/");
const mounts = [...new Set(wanted)]
  .filter((p, _, all) => !all.some((q) => q !== p && under(p, q)))
  .filter((p) => p !== "/");
if (wanted.includes("/")) fail("cannot mount the whole file system; run from a directory below /");

const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const py = await loadPyodide({ indexURL: pyodideDir + path.sep, env: { PYTHONHASHSEED: "0", TZ: "UTC" } });
function writeAll(fd, buf) {
  for (let off = 0; off < buf.length;) {
    try { off += fs.writeSync(fd, buf, off); } catch (e) { if (e.code !== "EAGAIN") throw e; }
  }
  return buf.length;
}
py.setStdout({ write: (buf) => writeAll(1, buf) });
py.setStderr({ write: (buf) => writeAll(2, buf) });
for (const dir of mounts) {
  py.FS.mkdirTree(dir);
  py.FS.mount(py.FS.filesystems.NODEFS, { root: dir }, dir);
}

py.globals.set("_aw_cwd", cwd);
py.globals.set("_aw_path", py.toPy(pythonPath));
py.globals.set("_aw_module", mod);
py.globals.set("_aw_args", py.toPy(moduleArgs));
const rc = py.runPython(`
import os, runpy, sys
def _aw_main():
    os.chdir(_aw_cwd)
    # As python3 -m does: the current directory first, then PYTHONPATH.
    sys.path[0:0] = [_aw_cwd] + list(_aw_path)
    sys.argv = ['-m'] + list(_aw_args)
    try:
        runpy.run_module(_aw_module, run_name='__main__', alter_sys=True)
        code = 0
    except SystemExit as e:
        if e.code is None:
            code = 0
        elif isinstance(e.code, int):
            code = e.code
        else:
            print(e.code, file=sys.stderr)
            code = 1
    except BaseException:
        import traceback
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    return code
_aw_main()
`);
process.exitCode = rc;
