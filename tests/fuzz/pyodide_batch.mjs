// pyodide_batch.mjs — runs many fuzz scenarios on CPython 3.14 (pyodide) in ONE node process.
//
//   node tests/fuzz/pyodide_batch.mjs LIST OUTDIR
//   node tests/fuzz/pyodide_batch.mjs --serve
//   node tests/fuzz/pyodide_batch.mjs --record LIST OUTDIR
//
// LIST names one scenario file a line; OUTDIR/<name>.out gets each one's output.  With --serve,
// each line read on stdin is one scenario (JSON on one line) and the answer is one line on
// stdout: its output as a JSON string (the minimiser asks hundreds of questions).  Loading
// pyodide takes seconds and running a scenario milliseconds, hence the batch.  The host's
// --record writes OUTDIR/<name>.jsonl instead: each scenario recorded by awaitlab's recorder
// (interp.record_batch), for the schedule comparison.  The host's
// filesystem is mounted at /host, so interp.py reads and writes the real files; interp.py and
// vloop.py are imported from the repository, never copied.
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const pyodideDir = path.join(here, "..", "oracle", "node_modules", "pyodide");
const record = process.argv[2] === "--record";
const [list, outdir] = process.argv.slice(record ? 3 : 2);
const serve = list === "--serve";
if (!serve && (!list || !outdir)) {
    console.error("usage: node pyodide_batch.mjs LIST OUTDIR | --record LIST OUTDIR | --serve");
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
if (record) {
    py.setStdout({ batched: () => {} }); // the scenarios' printed lines are in their traces
    const failed = py.runPython("interp.record_batch(args[0], args[1], prefix='/host')");
    process.exit(failed ? 1 : 0);
}
const n = py.runPython("interp.run_batch(args[0], args[1], prefix='/host')");
console.error(`pyodide_batch: ${n} scenarios on CPython ${py.runPython("import sys; sys.version.split()[0]")}`);
