// pyodide_batch.mjs — runs many fuzz scenarios on CPython 3.14 (pyodide) in ONE node process.
//
//   node tests/fuzz/pyodide_batch.mjs LIST OUTDIR
//   node tests/fuzz/pyodide_batch.mjs --serve
//
// LIST names one scenario file a line; OUTDIR/<name>.out gets each one's output.  With --serve,
// each line read on stdin is one scenario (JSON on one line) and the answer is one line on
// stdout: its output as a JSON string (the minimiser asks hundreds of questions).  Loading
// pyodide takes seconds and running a scenario milliseconds, hence the batch.  The host's
// filesystem is mounted at /host, so interp.py reads and writes the real files; interp.py and
// vloop.py are imported from the repository, never copied.
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const pyodideDir = path.join(here, "..", "oracle", "node_modules", "pyodide");
const [list, outdir] = process.argv.slice(2);
const serve = list === "--serve";
if (!serve && (!list || !outdir)) {
    console.error("usage: node pyodide_batch.mjs LIST OUTDIR | --serve");
    process.exit(2);
}

const { loadPyodide } = await import(path.join(pyodideDir, "pyodide.mjs"));
const py = await loadPyodide({ indexURL: pyodideDir + "/" });
py.setStderr({ batched: (s) => process.stderr.write(s + "\n") });
py.FS.mkdirTree("/host");
py.FS.mount(py.FS.filesystems.NODEFS, { root: "/" }, "/host");
py.globals.set("fuzz_dir", "/host" + here);
py.runPython("import sys, json; sys.path.insert(0, fuzz_dir); import interp");
if (serve) {
    const readline = await import("node:readline");
    const run = py.runPython("lambda line: json.dumps(interp.run_text(line))");
    for await (const line of readline.createInterface({ input: process.stdin })) {
        if (line.trim()) process.stdout.write(run(line) + "\n");
    }
    process.exit(0);
}
py.globals.set("args", [path.resolve(list), path.resolve(outdir)]);
const n = py.runPython("interp.run_batch(args[0], args[1], prefix='/host')");
console.error(`pyodide_batch: ${n} scenarios on CPython ${py.runPython("import sys; sys.version.split()[0]")}`);
