/* test_core_io.c — the real backend's descriptors: add_reader / add_writer on a pipe (CPython's
 * loop.add_reader: the callback joins the ready queue when the descriptor is ready). */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "support_core.h"

typedef struct pipe_end {
    int fd;
    aw_future *got;
} pipe_end;

static void on_readable(void *arg)
{
    pipe_end *p = arg;
    char buf[64];
    ssize_t n = read(p->fd, buf, sizeof buf - 1);
    if (n <= 0) return;
    buf[n] = '\0';
    aw_remove_reader(aw_current_loop(), p->fd);
    aw_future_set_result(p->got, aw_str(buf));
}

static void on_writable(void *arg)
{
    pipe_end *p = arg;
    aw_remove_writer(aw_current_loop(), p->fd);
    ck_assert_int_eq(write(p->fd, "ping", 4), 4);
    log_line("wrote ping");
}

AW_COROUTINE(writer_later, int fd;)
{
    AW_AWAIT(aw_sleep(0.05));
    static pipe_end w;
    w.fd = self->fd;
    aw_add_writer(aw_current_loop(), self->fd, on_writable, &w); /* a pipe with room: ready now */
    return aw_none();
}

AW_COROUTINE(io_main)
{
    int fds[2];
    ck_assert_int_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    pipe_end r = {fds[0], aw_future_new(aw_current_loop())};
    ck_assert_int_eq(aw_add_reader(aw_current_loop(), fds[0], on_readable, &r), 0);
    aw_task *w = aw_create_task(AW_CALL(writer_later, fds[1]));
    aw_value v;
    aw_status st = aw_await(r.got, &v);
    aw_print("read %s", st == AW_OK ? v.as.s : "nothing");
    AW_AWAIT(w);
    ck_assert_int_eq(aw_remove_reader(aw_current_loop(), fds[0]), 0); /* already removed */
    close(fds[0]);
    close(fds[1]);
    return aw_none();
}

START_TEST(reader_and_writer_callbacks_on_a_pipe)
{
    ck_assert_int_eq(run_main(AW_CALL(io_main), AW_CLOCK_REAL), AW_OK);
    /* Strip the (real) times: only the order matters here. */
    ck_assert_ptr_nonnull(strstr(g_log.out, " wrote ping\n"));
    const char *wrote = strstr(g_log.out, "wrote ping"), *read_line = strstr(g_log.out, "read ping");
    ck_assert(wrote && read_line && wrote < read_line);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core_io");
    TCase *tc = tcase_create("io");
    tcase_set_timeout(tc, 10);
    tcase_add_test(tc, reader_and_writer_callbacks_on_a_pipe);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
