//! Two cores for the large kernels (feature `parallel`, needs `std`).
//!
//! A product with at least `min_split` multiply-adds (2^18 in AVX2 or AVX-512 code, 2^16
//! otherwise) is cut in two by its output columns
//! (a layer's units): this thread computes the first half, one worker thread kept for the
//! whole program computes the second, and the call returns when both are done. The
//! forward product `x W + b` and the fused weight update of
//! [`Perceptron::train_update`](crate::Perceptron::train_update) split this way, so
//! `net.train_step(..)` of any network uses both cores where its layers are large, with
//! nothing to change in the program. Each half of a layer's weights is normally handled by
//! the same core, so it stays in that core's cache from the forward pass to the update.
//!
//! Every value is computed by the same code in the same order as on one thread: the
//! results are bit for bit those of a build without the feature.
//!
//! The worker spins for a short while after each job before it sleeps, so the back-to-back
//! products of a training loop reach it in well under a microsecond; a program that stops
//! training leaves it asleep. A caller that finishes its half before the worker has
//! started the other (the worker was asleep, or another program has its core) takes that
//! half back and runs it itself. One caller at a time has the worker: a product that finds
//! it busy (another thread is training, or the worker itself asks) runs whole on its own
//! thread. [`set_enabled`] turns the splitting off and on at run time.
//!
//! It pays when the second core is free. When another program keeps that core busy, the
//! operating system may stop the worker in the middle of its half, and the caller waits
//! for it: on the 2-core benchmark machine, W3 then ran slower than on one thread
//! (BENCHMARKS.md). Turn it off with [`set_enabled`] where cores are shared.

use super::COLUMNS;
use super::isa::Isa;
use core::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::any::Any;
use std::boxed::Box;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

/// The fewest multiply-adds a product must have to be split when it runs in the
/// instruction set `I` (the one the processor was found to run, `kernels::isa`): below
/// this, handing half of it to the other core costs more than it saves. Decided by the
/// vector width, since that sets how long a product takes: with AVX2 or AVX-512, W2's
/// 32 × 64 × 32 products (2^16) ran slower split, with SSE2 faster (BENCHMARKS.md,
/// "Measurements behind the kernels' shape").
pub(crate) const fn min_split<I: Isa>() -> usize {
    if I::WIDEST_ROWS >= 16 { 1 << 18 } else { 1 << 16 }
}

/// How long the worker keeps polling for the next job before it sleeps.
const SPIN: Duration = Duration::from_micros(500);

static ENABLED: AtomicBool = AtomicBool::new(true);

/// Turns the splitting of large products on (the default with the feature) or off, for
/// the whole program: off, every product runs on its caller's thread, as without the
/// feature. For example to run two trainings on two threads, or to compare.
///
/// ```
/// use ferroflow_core::kernels::parallel;
/// parallel::set_enabled(false);
/// assert!(!parallel::enabled());
/// parallel::set_enabled(true);
/// ```
pub fn set_enabled(on: bool) {
    ENABLED.store(on, Ordering::Relaxed);
}

/// Whether large products are split across two cores (see [`set_enabled`]).
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// The split rule, for a product of `multiply_adds` over `columns` output columns run in
/// the instruction set `I`: where to cut its columns between the two cores, or `None` to
/// run it whole. It is split when it is large enough ([`min_split`]), the splitting is
/// [`enabled`], and each half gets whole register tiles: the cut is the middle, rounded
/// down to a multiple of [`COLUMNS`], so both halves are tiled as the whole would be.
/// The products (`kernels::matmul`) and the fused update (the perceptron's
/// `train_update`) both ask it.
#[inline]
pub(crate) fn cut<I: Isa>(multiply_adds: usize, columns: usize) -> Option<usize> {
    let middle = columns / 2 / COLUMNS * COLUMNS;
    (multiply_adds >= min_split::<I>() && middle > 0 && enabled()).then_some(middle)
}

/// Other ways to hand the second half of a split to the other core, for the benchmarks
/// that measure what the worker is worth against maintained primitives (BENCHMARKS.md,
/// "The worker against rayon and thread::scope"). Not for users: only with the
/// `compare-joins` feature.
#[cfg(feature = "compare-joins")]
#[doc(hidden)]
pub mod compare {
    use core::sync::atomic::{AtomicU8, Ordering};

    /// Who runs the second half.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Join {
        /// This module's worker thread (what the `parallel` feature uses).
        Worker,
        /// A thread of rayon's global pool (`rayon::in_place_scope` and `spawn`).
        Rayon,
        /// A thread started for each split (`std::thread::scope`).
        Scope,
    }

    static CHOSEN: AtomicU8 = AtomicU8::new(0);

    /// Chooses who runs the second half of every split from now on.
    pub fn choose(join: Join) {
        CHOSEN.store(join as u8, Ordering::Relaxed);
    }

    /// Runs `step` on a thread of rayon's pool, so that its splits start from a rayon
    /// worker (a job spawned there goes to the worker's own queue, as rayon is meant to be
    /// used), not from a thread outside the pool.
    pub fn on_rayon_worker<R: Send>(step: impl FnOnce() -> R + Send) -> R {
        rayon::scope(|_| step())
    }

    pub(super) fn chosen() -> Join {
        match CHOSEN.load(Ordering::Relaxed) {
            1 => Join::Rayon,
            2 => Join::Scope,
            _ => Join::Worker,
        }
    }
}

/// A job handed to the worker: a closure run at most once.
trait Run: Sync {
    /// Runs the closure, catching its panic for the caller.
    fn run(&self) -> Option<Box<dyn Any + Send>>;
}

/// The closure of [`join`] that runs on the worker.
struct Once<F>(Mutex<Option<F>>);

impl<F: FnOnce() + Send> Run for Once<F> {
    fn run(&self) -> Option<Box<dyn Any + Send>> {
        let job = lock(&self.0).take()?;
        panic::catch_unwind(AssertUnwindSafe(job)).err()
    }
}

/// The state of the one job slot. A job goes `POSTED` → `RUNNING` → `DONE` → `IDLE` when
/// the worker takes it, or `POSTED` → `IDLE` when its caller takes it back unstarted; the
/// compare-exchange on `POSTED` decides which of the two runs it.
const IDLE: u8 = 0;
const POSTED: u8 = 1;
const RUNNING: u8 = 2;
const DONE: u8 = 3;

/// What the callers and the worker share. It lives as long as the program, so the worker
/// never touches a caller's memory once it has said the job is done.
struct Shared {
    /// A caller holds the worker: at most one job is in flight.
    claimed: AtomicBool,
    /// `IDLE`, `POSTED`, `RUNNING` or `DONE`.
    state: AtomicU8,
    /// The worker is asleep, or about to be: a caller must wake it.
    sleeping: AtomicBool,
    job: Mutex<Option<&'static dyn Run>>,
    panic: Mutex<Option<Box<dyn Any + Send>>>,
}

static SHARED: Shared = Shared {
    claimed: AtomicBool::new(false),
    state: AtomicU8::new(IDLE),
    sleeping: AtomicBool::new(false),
    job: Mutex::new(None),
    panic: Mutex::new(None),
};

/// A lock that a panic elsewhere does not spoil (nothing here panics while holding one).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Moves the slot from `POSTED` to `to`, and hands over the job, if it was posted and
/// nobody took it yet.
fn take_posted(to: u8) -> Option<&'static dyn Run> {
    // A plain load first: the worker polls this in a loop, and a failing compare-exchange
    // would still take the cache line from the caller each time.
    if SHARED.state.load(Ordering::Relaxed) != POSTED {
        return None;
    }
    SHARED.state.compare_exchange(POSTED, to, Ordering::AcqRel, Ordering::Acquire).ok()?;
    lock(&SHARED.job).take()
}

/// The worker thread, started on first use; `None` if no thread could be started.
fn worker() -> Option<&'static Thread> {
    static WORKER: OnceLock<Option<Thread>> = OnceLock::new();
    WORKER
        .get_or_init(|| {
            let spawned = thread::Builder::new().name("ferroflow-kernels".into()).spawn(serve);
            spawned.ok().map(|handle| handle.thread().clone())
        })
        .as_ref()
}

/// The worker's loop: run each posted job, poll for [`SPIN`] after it, then sleep until a
/// caller wakes it.
fn serve() {
    let mut idle_since = Instant::now();
    let mut polls: u32 = 0;
    loop {
        if let Some(job) = take_posted(RUNNING) {
            if let Some(payload) = job.run() {
                *lock(&SHARED.panic) = Some(payload);
            }
            // The last use of the job: its caller may free it from here on.
            SHARED.state.store(DONE, Ordering::Release);
            idle_since = Instant::now();
            continue;
        }
        polls = polls.wrapping_add(1);
        if !polls.is_multiple_of(256) || idle_since.elapsed() < SPIN {
            core::hint::spin_loop();
            continue;
        }
        // Announce the sleep, then look once more: a caller that posted before seeing
        // `sleeping` is caught here, one that posts after it unparks (both are SeqCst).
        SHARED.sleeping.store(true, Ordering::SeqCst);
        if SHARED.state.load(Ordering::SeqCst) != POSTED {
            thread::park();
        }
        SHARED.sleeping.store(false, Ordering::SeqCst);
        idle_since = Instant::now();
    }
}

/// The caller's hold on the worker, from posting a job to getting it back; if the
/// caller's own half panics, its `drop` still gets the job back before the unwinding
/// frees what the job borrows.
struct Claim {
    finished: bool,
}

impl Claim {
    /// Ends the job: runs it here if the worker has not started it (it may be asleep, or
    /// have lost its core to another program), else waits for the worker to finish it.
    /// Then releases the worker and returns the job's panic, if it had one.
    fn finish(&mut self, run_here: bool) -> Option<Box<dyn Any + Send>> {
        self.finished = true;
        let payload = match take_posted(IDLE) {
            Some(job) if run_here => job.run(),
            // Not run: its closure is dropped with the caller's frame.
            Some(_) => None,
            None => {
                let mut polls: u32 = 0;
                while SHARED.state.load(Ordering::Acquire) != DONE {
                    polls = polls.wrapping_add(1);
                    if polls > 1 << 12 && polls.is_multiple_of(64) {
                        // The worker lost its core mid-job: let it have this one.
                        thread::yield_now();
                    } else {
                        core::hint::spin_loop();
                    }
                }
                SHARED.state.store(IDLE, Ordering::Relaxed);
                lock(&SHARED.panic).take()
            }
        };
        SHARED.claimed.store(false, Ordering::Release);
        payload
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        if !self.finished {
            // Unwinding from the caller's half: the job's own panic, if any, is dropped.
            drop(self.finish(false));
        }
    }
}

/// Runs `second` on the worker and `first` on this thread, at the same time, and returns
/// when both are done, with `first`'s result. A panic in either is resumed here. Where
/// the worker cannot be had (none could be started, or another caller holds it), or has
/// not started `second` by the time `first` is done, `second` runs here too.
pub(crate) fn join<R>(first: impl FnOnce() -> R, second: impl FnOnce() + Send) -> R {
    #[cfg(feature = "compare-joins")]
    match compare::chosen() {
        compare::Join::Worker => {}
        compare::Join::Rayon => {
            // The caller runs `first`, a thread of rayon's pool `second`; as with the worker.
            return rayon::in_place_scope(|scope| {
                scope.spawn(|_| second());
                first()
            });
        }
        compare::Join::Scope => {
            return thread::scope(|scope| {
                scope.spawn(second);
                first()
            });
        }
    }
    let Some(thread) = worker() else {
        second();
        return first();
    };
    if SHARED.claimed.compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed).is_err() {
        second();
        return first();
    }
    let job = Once(Mutex::new(Some(second)));
    let job: &dyn Run = &job;
    // SAFETY: the worker uses this reference only between taking it (`take_posted`) and
    // setting `DONE`, and this function neither returns nor unwinds (`Claim` finishes in
    // its `drop`) before it has taken the job back or seen `DONE`: the job outlives every
    // use of the reference, which is all that the 'static stands for. (The tests below
    // run under Miri in CI, which reports any use of the job after its frame is gone.)
    #[allow(unsafe_code)]
    let job: &'static dyn Run = unsafe { core::mem::transmute::<&dyn Run, &'static dyn Run>(job) };
    let mut claim = Claim { finished: false };
    *lock(&SHARED.job) = Some(job);
    #[cfg(test)]
    tests::POSTED_JOBS.fetch_add(1, Ordering::Relaxed);
    SHARED.state.store(POSTED, Ordering::SeqCst);
    if SHARED.sleeping.load(Ordering::SeqCst) {
        thread.unpark();
    }
    let result = first();
    if let Some(payload) = claim.finish(true) {
        panic::resume_unwind(payload);
    }
    result
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use core::sync::atomic::AtomicUsize;
    use std::vec::Vec;

    /// Tests that share the worker and the `enabled` switch run one at a time.
    pub(crate) static SERIAL: Mutex<()> = Mutex::new(());

    /// How many jobs `join` has posted to the worker (counted only in tests): a split
    /// that was supposed to happen but did not leaves it unchanged.
    pub(crate) static POSTED_JOBS: AtomicUsize = AtomicUsize::new(0);

    /// Whether this code runs on the worker thread.
    fn on_worker() -> bool {
        thread::current().name() == Some("ferroflow-kernels")
    }

    /// Waits (up to 5 s) until `flag` is set; whether it was.
    fn wait_for(flag: &AtomicBool) -> bool {
        let start = Instant::now();
        while !flag.load(Ordering::Acquire) {
            if start.elapsed() > Duration::from_secs(5) {
                return false;
            }
            core::hint::spin_loop();
        }
        true
    }

    /// A `join` whose second half is made to run on the worker: the first half waits until
    /// the second has started. Returns whether it ran there.
    fn join_on_worker(second: impl FnOnce() + Send) -> bool {
        let started = AtomicBool::new(false);
        let mut where_ = false;
        let waited = join(
            || wait_for(&started),
            || {
                where_ = on_worker();
                started.store(true, Ordering::Release);
                second();
            },
        );
        waited && where_
    }

    /// Joins in `both_halves_run_and_see_their_borrows`. Under Miri, which runs these
    /// tests to look for undefined behaviour in the pool's `unsafe` lifetime extension,
    /// fewer and smaller joins: it interprets every step.
    const ROUNDS: u32 = if cfg!(miri) { 40 } else { 200 };
    /// The length of the arrays those joins write.
    const LEN: usize = if cfg!(miri) { 16 } else { 1000 };

    #[test]
    fn both_halves_run_and_see_their_borrows() {
        let _serial = lock(&SERIAL);
        let mut low = [0u32; LEN];
        let mut high = [0u32; LEN];
        for round in 0..ROUNDS {
            let sum = join(
                || {
                    low.iter_mut().enumerate().for_each(|(i, v)| *v = i as u32 + round);
                    low.iter().sum::<u32>()
                },
                || high.iter_mut().enumerate().for_each(|(i, v)| *v = 2 * i as u32 + round),
            );
            assert_eq!(sum, (0..LEN as u32).map(|i| i + round).sum::<u32>());
            assert_eq!(high[LEN - 1], 2 * (LEN as u32 - 1) + round);
        }
        // And once for sure on the worker, writing into this frame.
        let mut far = [0u32; 100];
        assert!(join_on_worker(|| far.iter_mut().for_each(|v| *v = 7)), "ran on the worker");
        assert!(far.iter().all(|&v| v == 7));
    }

    /// One join in a frame of its own, whose arrays both halves read and write: the frame
    /// is gone when this returns, so a worker that touched the job after `DONE`, or a
    /// caller that returned before the worker finished, is a use after free (Miri reports
    /// it; without Miri the values would come out wrong now and then).
    #[inline(never)]
    fn one_short_join(round: u32) -> u32 {
        let input = core::array::from_fn::<u32, 8, _>(|i| i as u32 * round);
        let (mut first, mut second) = ([0u32; 8], [0u32; 8]);
        let total = join(
            || {
                first.iter_mut().zip(&input).for_each(|(out, v)| *out = v + 1);
                first.iter().sum::<u32>()
            },
            || second.iter_mut().zip(&input).for_each(|(out, v)| *out = v * 2),
        );
        assert_eq!(total, input.iter().sum::<u32>() + 8);
        assert!(second.iter().zip(&input).all(|(out, v)| *out == v * 2), "round {round}");
        total
    }

    #[test]
    fn many_short_joins_borrowing_stack_data() {
        let _serial = lock(&SERIAL);
        let rounds = if cfg!(miri) { 300 } else { 5000 };
        let mut on_worker = 0;
        for round in 0..rounds {
            one_short_join(round);
            // Every tenth join waits for the worker, so both endings are exercised: the
            // worker finishing the second half, and the caller taking it back unstarted.
            if round % 10 == 0 {
                let mut written = [0u32; 4];
                on_worker += usize::from(join_on_worker(|| written = [round; 4]));
                assert_eq!(written, [round; 4]);
            }
        }
        assert!(on_worker > 0, "no join ran on the worker");
    }

    #[test]
    fn both_halves_panicking_resume_the_first_and_leave_the_pool_usable() {
        let _serial = lock(&SERIAL);
        for round in 0..if cfg!(miri) { 5 } else { 50 } {
            let mut seen = Vec::new();
            let started = AtomicBool::new(false);
            let caught = panic::catch_unwind(AssertUnwindSafe(|| {
                join(
                    || {
                        // Odd rounds: panic once the worker is inside the second half;
                        // even rounds at once, so the second half may not start at all.
                        if round % 2 == 1 {
                            assert!(wait_for(&started), "the worker never started");
                        }
                        panic!("first half")
                    },
                    || {
                        started.store(true, Ordering::Release);
                        seen.push(round);
                        panic!("second half")
                    },
                )
            }));
            let payload = caught.expect_err("a panic reaches the caller");
            assert_eq!(payload.downcast_ref::<&str>(), Some(&"first half"), "round {round}");
            // The second half either ran whole, on the worker, or not at all.
            assert!(seen.is_empty() || seen == [round], "round {round}: {seen:?}");
            if round % 2 == 1 {
                assert_eq!(seen, [round], "the second half ran and panicked too");
            }
            // Nothing of the dropped panic is left to surface in the next join.
            assert!(lock(&SHARED.panic).is_none());
            assert!(!SHARED.claimed.load(Ordering::Acquire), "the worker was released");
            assert_eq!(one_short_join(round), (0..8).map(|i| i * round).sum::<u32>() + 8);
            assert!(join_on_worker(|| ()), "the worker still takes jobs");
        }
    }

    #[test]
    fn a_panic_on_the_worker_reaches_the_caller_and_the_worker_survives() {
        let _serial = lock(&SERIAL);
        let caught = panic::catch_unwind(|| join_on_worker(|| panic!("in the second half")));
        let payload = caught.expect_err("the worker's panic is resumed here");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"in the second half"));
        assert!(join_on_worker(|| ()), "the worker still takes jobs");
    }

    #[test]
    fn a_panic_here_waits_for_the_worker_first() {
        let _serial = lock(&SERIAL);
        let mut written = Vec::new();
        let started = AtomicBool::new(false);
        let caught = panic::catch_unwind(AssertUnwindSafe(|| {
            join(
                || {
                    // Panic only once the worker is inside the second half.
                    assert!(wait_for(&started), "the worker never started");
                    panic!("in the first half")
                },
                || {
                    started.store(true, Ordering::Release);
                    thread::sleep(Duration::from_millis(20));
                    written.push(1);
                },
            )
        }));
        let payload = caught.expect_err("the first half's panic is resumed");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"in the first half"));
        // The unwinding waited for the worker, which finished writing.
        assert_eq!(written, [1]);
    }

    #[test]
    fn a_nested_join_runs_on_its_own_thread() {
        let _serial = lock(&SERIAL);
        let mut inner = (0, 0, false);
        assert!(join_on_worker(|| {
            // On the worker, which is claimed: both halves run here.
            join(|| inner.0 = 1, || inner.1 = 2);
            inner.2 = on_worker();
        }));
        assert_eq!(inner, (1, 2, true));
    }

    #[test]
    fn the_worker_wakes_after_sleeping() {
        let _serial = lock(&SERIAL);
        assert!(join_on_worker(|| ()));
        // Long enough for it to stop polling and park (twenty spins; more under Miri,
        // whose clock follows the interpreted code rather than the wall).
        let start = Instant::now();
        thread::sleep(SPIN * 20);
        while !SHARED.sleeping.load(Ordering::SeqCst) && start.elapsed() < Duration::from_secs(5) {
            thread::sleep(SPIN);
        }
        assert!(SHARED.sleeping.load(Ordering::SeqCst), "the worker parked");
        assert!(join_on_worker(|| ()), "a posted job woke it");
    }

    /// Puts the switch back on however the test ends.
    struct SplitOn;

    impl Drop for SplitOn {
        fn drop(&mut self) {
            set_enabled(true);
        }
    }

    /// `f` with the splitting off, then on: the two results. Checks that the second run
    /// did hand work to the worker.
    pub(crate) fn unsplit_and_split<R>(mut f: impl FnMut() -> R) -> (R, R) {
        let _on = SplitOn;
        set_enabled(false);
        let unsplit = f();
        set_enabled(true);
        let posted = POSTED_JOBS.load(Ordering::Relaxed);
        let split = f();
        assert!(POSTED_JOBS.load(Ordering::Relaxed) > posted, "the product was split");
        (unsplit, split)
    }

    /// Runs `f` on a thread with a stack large enough for these tests' matrices, which
    /// are values (one sample's 600 × 450 weights in `f64` are 2 MB) copied a few times in
    /// a debug build.
    pub(crate) fn with_big_stack(f: impl FnOnce() + Send) {
        thread::scope(|scope| {
            let spawned = thread::Builder::new().stack_size(64 << 20).spawn_scoped(scope, f);
            if let Err(panic) = spawned.expect("a test thread").join() {
                panic::resume_unwind(panic);
            }
        });
    }
}
