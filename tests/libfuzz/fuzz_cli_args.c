/* fuzz_cli_args.c — libFuzzer target: the awaitlab command's argument handling.  The input is
 * an argument list, one argument a line, given to the command's main() (cli/main.c, compiled
 * as aw_cli_main for this binary).
 *
 * Only what cannot leave the process is reachable: this binary is linked without the
 * subcommands that open a terminal or a window (step, tui, view: they answer "unknown
 * command"), arguments naming other directories ('/') are refused, so any file a subcommand
 * writes (run --trace, export -o) lands in a private temporary directory, and the real clock
 * ("real") is refused because a lesson on it takes seconds. */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

int aw_cli_main(int argc, char **argv);

enum { MAX_ARGS = 12, MAX_ARG = 64 };

/* A work directory with two real traces in it, so validate, diff and export have something
 * to read besides the inputs' own file names.  After each input the directory is put back as
 * it was (whatever a subcommand wrote is removed, a.jsonl and b.jsonl rewritten if touched),
 * so every input meets the same files. */
static const char *names[2] = {"a.jsonl", "b.jsonl"};
static char *texts[2];
static size_t lens[2];
static char dir[] = "/tmp/awaitlab-fuzz-cli-XXXXXX";

/* Writes names[i] with an mtime of 0, which marks it as ours. */
static void put(int i)
{
    FILE *out = fopen(names[i], "wb");
    if (!out || fwrite(texts[i], 1, lens[i], out) != lens[i] || fclose(out) != 0) abort();
    utime(names[i], &(struct utimbuf){0, 0});
}

static void restore(void)
{
    DIR *d = opendir(".");
    if (!d) abort();
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        int keep = !strcmp(e->d_name, names[0]) ? 0 : !strcmp(e->d_name, names[1]) ? 1 : -1;
        struct stat sb;
        if (keep < 0) unlink(e->d_name);
        else if (stat(e->d_name, &sb) != 0 || (size_t)sb.st_size != lens[keep] || sb.st_mtime != 0) put(keep);
    }
    closedir(d);
    for (int i = 0; i < 2; i++)
        if (*names[i] && access(names[i], F_OK) != 0) put(i);
}

static void remove_dir(void)
{
    names[0] = names[1] = ""; /* keep nothing */
    restore();
    if (chdir("/") == 0) rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    static const char *const golden[] = {AW_GOLDEN_DIR "/tutorial-cancel.jsonl",
                                         AW_GOLDEN_DIR "/coroutines-create-task.jsonl"};
    for (int i = 0; i < 2; i++) {
        FILE *in = fopen(golden[i], "rb");
        if (!in) abort();
        texts[i] = malloc(1 << 20);
        lens[i] = fread(texts[i], 1, 1 << 20, in);
        fclose(in);
    }
    if (!mkdtemp(dir) || chdir(dir) != 0) abort();
    restore();
    atexit(remove_dir);
    /* what the subcommands print is not the point, and "-" must not wait for a terminal */
    int null = open("/dev/null", O_RDWR);
    if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0) abort();
    close(null);
    unsetenv("AWAITLAB_CLOCK");
    unsetenv("AWAITLAB_TRACE");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char args[MAX_ARGS][MAX_ARG + 1];
    char *argv[MAX_ARGS + 2] = {"awaitlab"};
    int argc = 1;
    size_t i = 0;
    while (i < size) {
        const uint8_t *nl = memchr(data + i, '\n', size - i);
        size_t n = nl ? (size_t)(nl - (data + i)) : size - i;
        if (argc > MAX_ARGS || n > MAX_ARG) return -1; /* -1: not worth keeping in the corpus */
        memcpy(args[argc - 1], data + i, n);
        args[argc - 1][n] = '\0';
        if (memchr(data + i, '\0', n) || strchr(args[argc - 1], '/') || strstr(args[argc - 1], "real")) return -1;
        argv[argc] = args[argc - 1];
        argc++;
        i += n + 1;
    }
    argv[argc] = NULL;
    aw_cli_main(argc, argv);
    fflush(stdout);
    restore();
    return 0;
}
