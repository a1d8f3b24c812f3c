/* void aw__ctx_switch(void **save_sp, void *load_sp) — SysV x86-64.
 * Saves the callee-saved registers on the current stack, stores the stack pointer in *save_sp,
 * loads load_sp and pops the registers saved there.  The FP control words are not saved: awaitlab
 * never changes them and a task that does must restore them before it awaits. */
        .text
        .globl aw__ctx_switch
        .hidden aw__ctx_switch
        .type  aw__ctx_switch,@function
aw__ctx_switch:
        .cfi_startproc
        pushq %rbp
        pushq %rbx
        pushq %r12
        pushq %r13
        pushq %r14
        pushq %r15
        movq  %rsp, (%rdi)
        movq  %rsi, %rsp
        popq  %r15
        popq  %r14
        popq  %r13
        popq  %r12
        popq  %rbx
        popq  %rbp
        ret
        .cfi_endproc
        .size aw__ctx_switch,.-aw__ctx_switch
        .section .note.GNU-stack,"",@progbits
