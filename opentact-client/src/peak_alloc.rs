//! Unit tests only: the system allocator, counting the bytes live on each thread and their
//! peak, so a test can see how much memory a step holds at most.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

pub(crate) struct PeakAlloc;

thread_local! {
    // `const` and without destructors: using them never allocates (no recursion into `alloc`).
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn add(bytes: isize) {
    // `try_with`: a thread being torn down has no locals left; its bytes are not counted.
    let _ = LIVE.try_with(|live| {
        live.set(live.get() + bytes);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
    });
}

/// Starts a measurement on this thread; [`peak_since_reset`] then says how many more bytes
/// than at this point were live at most.
pub(crate) fn reset() {
    let live = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(live));
}

pub(crate) fn peak_since_reset(baseline: isize) -> isize {
    PEAK.with(Cell::get) - baseline
}

pub(crate) fn live() -> isize {
    LIVE.with(Cell::get)
}

// SAFETY: every call is forwarded unchanged to the system allocator; the counting touches
// only `const` thread locals.
unsafe impl GlobalAlloc for PeakAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        add(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        add(layout.size() as isize);
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        add(-(layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Counted as the new block arriving before the old one leaves (a moving realloc).
        add(new_size as isize);
        add(-(layout.size() as isize));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: PeakAlloc = PeakAlloc;
