// One trampoline per media function (functions.h): it jumps through its slot. An unbound slot holds
// cmedia_resolve, which keeps the caller's argument registers, asks cmedia_bind (loader.c) for the
// function, and jumps to it as if it had been called directly. This is the technique of Implib.so
// (github.com/yugr/Implib.so), written out for the 72 functions used here.
#include "functions.h"

#if defined(__x86_64__)

// The slot's address travels in r11, which the SysV ABI leaves free at a call.
#define CMEDIA_TRAMPOLINE(lib, name)                                                                   \
    __asm__(".text\n.globl " #name "\n.hidden " #name "\n.type " #name ",@function\n.p2align 4\n" #name \
            ":\n\tleaq cmedia_slot_" #name "(%rip), %r11\n\tjmpq *(%r11)\n.size " #name ", .-" #name "\n");
CMEDIA_FUNCTIONS(CMEDIA_TRAMPOLINE)

// Seven pushes leave the stack 16-byte aligned for the call (it was 8 off at entry).
__asm__(".text\n.globl cmedia_resolve\n.hidden cmedia_resolve\n.type cmedia_resolve,@function\n.p2align 4\n"
        "cmedia_resolve:\n"
        "\tpushq %rdi\n\tpushq %rsi\n\tpushq %rdx\n\tpushq %rcx\n\tpushq %r8\n\tpushq %r9\n\tpushq %rax\n"
        "\tsubq $128, %rsp\n"
        "\tmovdqu %xmm0, 0(%rsp)\n\tmovdqu %xmm1, 16(%rsp)\n\tmovdqu %xmm2, 32(%rsp)\n\tmovdqu %xmm3, 48(%rsp)\n"
        "\tmovdqu %xmm4, 64(%rsp)\n\tmovdqu %xmm5, 80(%rsp)\n\tmovdqu %xmm6, 96(%rsp)\n\tmovdqu %xmm7, 112(%rsp)\n"
        "\tmovq %r11, %rdi\n\tcall cmedia_bind\n\tmovq %rax, %r11\n"
        "\tmovdqu 0(%rsp), %xmm0\n\tmovdqu 16(%rsp), %xmm1\n\tmovdqu 32(%rsp), %xmm2\n\tmovdqu 48(%rsp), %xmm3\n"
        "\tmovdqu 64(%rsp), %xmm4\n\tmovdqu 80(%rsp), %xmm5\n\tmovdqu 96(%rsp), %xmm6\n\tmovdqu 112(%rsp), %xmm7\n"
        "\taddq $128, %rsp\n"
        "\tpopq %rax\n\tpopq %r9\n\tpopq %r8\n\tpopq %rcx\n\tpopq %rdx\n\tpopq %rsi\n\tpopq %rdi\n"
        "\tjmpq *%r11\n.size cmedia_resolve, .-cmedia_resolve\n");

#elif defined(__aarch64__)

// The slot's address travels in x17 (IP1), the register AAPCS64 sets aside for veneers like this.
#define CMEDIA_TRAMPOLINE(lib, name)                                                                    \
    __asm__(".text\n.globl " #name "\n.hidden " #name "\n.type " #name ",%function\n.p2align 2\n" #name  \
            ":\n\tadrp x17, cmedia_slot_" #name "\n\tadd x17, x17, :lo12:cmedia_slot_" #name              \
            "\n\tldr x16, [x17]\n\tbr x16\n.size " #name ", .-" #name "\n");
CMEDIA_FUNCTIONS(CMEDIA_TRAMPOLINE)

__asm__(".text\n.globl cmedia_resolve\n.hidden cmedia_resolve\n.type cmedia_resolve,%function\n.p2align 2\n"
        "cmedia_resolve:\n"
        "\tstp x29, x30, [sp, #-224]!\n\tmov x29, sp\n"
        "\tstp x0, x1, [sp, #16]\n\tstp x2, x3, [sp, #32]\n\tstp x4, x5, [sp, #48]\n\tstp x6, x7, [sp, #64]\n"
        "\tstr x8, [sp, #80]\n"
        "\tstp q0, q1, [sp, #96]\n\tstp q2, q3, [sp, #128]\n\tstp q4, q5, [sp, #160]\n\tstp q6, q7, [sp, #192]\n"
        "\tmov x0, x17\n\tbl cmedia_bind\n\tmov x16, x0\n"
        "\tldp q0, q1, [sp, #96]\n\tldp q2, q3, [sp, #128]\n\tldp q4, q5, [sp, #160]\n\tldp q6, q7, [sp, #192]\n"
        "\tldr x8, [sp, #80]\n"
        "\tldp x0, x1, [sp, #16]\n\tldp x2, x3, [sp, #32]\n\tldp x4, x5, [sp, #48]\n\tldp x6, x7, [sp, #64]\n"
        "\tldp x29, x30, [sp], #224\n\tbr x16\n.size cmedia_resolve, .-cmedia_resolve\n");

#else
#error "CMediaLoader has trampolines for x86_64 and aarch64 only; add this architecture's two here."
#endif
