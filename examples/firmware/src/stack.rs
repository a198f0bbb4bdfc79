//! The peak stack, measured by painting: at boot every free word between the statics and
//! the stack pointer gets a known pattern; afterwards the lowest word that no longer holds
//! it marks the deepest the stack went. (A word the program happened to write with the
//! very pattern would hide at most itself.)

use core::arch::asm;

/// What free stack memory is painted with.
const PAINT: u32 = 0x5EA5_0FF5;

unsafe extern "C" {
    /// The top of the stack (cortex-m-rt: the end of RAM): where it starts, growing down.
    static _stack_start: u32;
    /// The bottom of the stack (cortex-m-rt: the end of the statics).
    static _stack_end: u32;
}

fn top() -> usize {
    // Only the address of the linker symbol is taken, never its value.
    &raw const _stack_start as usize
}

fn bottom() -> usize {
    &raw const _stack_end as usize
}

/// Paints every word from the bottom of the stack up to the current stack pointer. Call it
/// first thing in `main`. It is written in assembly so that the loop itself uses no stack
/// below the pointer it compares against.
pub fn paint() {
    let mut address = bottom();
    // SAFETY: the words between the end of the statics and the stack pointer belong to no
    // one (no heap, and the stack has not been there yet); the loop writes nothing else.
    unsafe {
        asm!(
            "mov {sp}, sp",
            "2:",
            "cmp {address}, {sp}",
            "bhs 3f",
            "str {paint}, [{address}]",
            "adds {address}, #4",
            "b 2b",
            "3:",
            address = inout(reg) address,
            sp = out(reg) _,
            paint = in(reg) PAINT,
            options(nostack),
        );
    }
    let _ = address;
}

/// The deepest the stack has gone since [`paint`], in bytes below its top.
pub fn peak() -> usize {
    let mut address = bottom();
    while address < top() {
        // SAFETY: an aligned word of RAM between the statics and the top of the stack.
        let word = unsafe { core::ptr::read_volatile(address as *const u32) };
        if word != PAINT {
            break;
        }
        address += 4;
    }
    top() - address
}

/// The RAM the stack may grow into, in bytes: from the end of the statics to the top.
pub fn capacity() -> usize {
    top() - bottom()
}
