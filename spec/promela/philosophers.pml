/*
 * Dining philosophers, written to mirror lmc's built-in `philosophers`
 * model state for state, so that SPIN's "states, stored" equals lmc's state
 * count exactly.
 *
 *   scripts/spin-states.sh spec/promela/philosophers.pml -DN=5 [-DFIXED=1]
 *
 * Same encoding rules as peterson.pml: global variables initialised in their
 * declarations, one process whose single `do` loop has one guarded d_step
 * per philosopher (written out for ids 0..15, disabled for ids >= N), so
 * every loop iteration is one lmc transition and nothing else is stored.
 *
 * Philosopher p takes its first fork, then its second, eats, and puts both
 * down. Normally the first fork is fork p (left) and the second fork p+1
 * (right); with FIXED=1 the last philosopher takes them the other way round,
 * which removes the deadlock. Without FIXED the table deadlocks when every
 * philosopher holds one fork; pan -E does not report that, and the whole
 * reachable state space is still counted.
 */

#ifndef N
#define N 5          /* number of philosophers, 2..16 */
#endif
#ifndef FIXED
#define FIXED 0      /* 1: the last philosopher takes the right fork first */
#endif

/* phases of a philosopher */
#define THINKING 0
#define ONE_FORK 1
#define EATING   2

byte phase[N] = THINKING;
byte fork[N] = 0;         /* holder + 1, or 0 while it lies on the table */

#define RIGHT_FIRST(p) (FIXED && (p) == N - 1)
#define FIRST(p)  (RIGHT_FIRST(p) -> ((p) + 1) % N : (p))
#define SECOND(p) (RIGHT_FIRST(p) -> (p) : ((p) + 1) % N)

/* neighbours p and p+1 both eat (p < N) */
#define BOTH_EAT(p) ((p) < N && phase[p] == EATING && phase[((p) + 1) % N] == EATING)

/* One step of philosopher p; taking a fork needs it on the table. */
inline step(p) {
	d_step {
		(p) < N &&
		(phase[p] == EATING ||
		 (phase[p] == THINKING && fork[FIRST(p)] == 0) ||
		 (phase[p] == ONE_FORK && fork[SECOND(p)] == 0)) ->
		if
		:: phase[p] == THINKING ->
			fork[FIRST(p)] = (p) + 1;
			phase[p] = ONE_FORK
		:: phase[p] == ONE_FORK ->
			fork[SECOND(p)] = (p) + 1;
			phase[p] = EATING
		:: phase[p] == EATING ->
			fork[FIRST(p)] = 0;
			fork[SECOND(p)] = 0;
			phase[p] = THINKING
		fi;
		/* neighbours never eat at the same time */
		assert(!(BOTH_EAT(0) || BOTH_EAT(1) || BOTH_EAT(2) || BOTH_EAT(3) ||
		         BOTH_EAT(4) || BOTH_EAT(5) || BOTH_EAT(6) || BOTH_EAT(7) ||
		         BOTH_EAT(8) || BOTH_EAT(9) || BOTH_EAT(10) || BOTH_EAT(11) ||
		         BOTH_EAT(12) || BOTH_EAT(13) || BOTH_EAT(14) || BOTH_EAT(15)))
	}
}

active proctype main()
{
	do
	:: step(0)
	:: step(1)
	:: step(2)
	:: step(3)
	:: step(4)
	:: step(5)
	:: step(6)
	:: step(7)
	:: step(8)
	:: step(9)
	:: step(10)
	:: step(11)
	:: step(12)
	:: step(13)
	:: step(14)
	:: step(15)
	od
}
