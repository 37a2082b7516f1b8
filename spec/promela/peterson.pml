/*
 * Filter lock (Peterson's algorithm generalised to N processes), written to
 * mirror lmc's built-in `peterson` model state for state, so that SPIN's
 * "states, stored" equals lmc's state count exactly.
 *
 *   scripts/spin-states.sh spec/promela/peterson.pml -DN=3 [-DSWAP=1]
 *
 * Encoding rules (shared by every file in this directory):
 *  - all variables are global and initialised where they are declared;
 *  - a single process runs one `do` loop, and every option is one d_step
 *    that starts with its guard, so each loop iteration is exactly one lmc
 *    transition and the loop head is the only control point SPIN ever
 *    stores (its program counter is therefore the same in every state);
 *  - per-process actions are written out once per process id (0..5) and
 *    disabled when the id is not below N, because a nondeterministic choice
 *    of the id (`select`, or an `if` before the d_step) would add states.
 *
 * Process p climbs levels 1..N-1. At each level it announces the level,
 * makes itself the level's victim, and waits while it is the victim and some
 * other process has announced this level or a higher one. With SWAP=1 the
 * two writes happen in the opposite order, which breaks mutual exclusion.
 */

#ifndef N
#define N 2          /* number of processes, 2..6 */
#endif
#ifndef SWAP
#define SWAP 0       /* 1: become the victim before announcing the level */
#endif

/* program counter values of one process */
#define IDLE       0
#define SET_LEVEL  1
#define SET_VICTIM 2
#define WAIT       3
#define CRITICAL   4

byte pc[N] = IDLE;    /* where each process is */
byte climbing[N] = 0; /* level being climbed; 0 while idle */
byte level[N] = 0;    /* level announced to the others */
byte victim[N] = 0;   /* victim of each level 1..N-1; slot 0 is unused */

/* Process q (q != p, q < N) has announced p's level or a higher one.
 * The `q < N` test comes first so level[q] is never read out of range. */
#define AT_OR_ABOVE(p, q) ((q) != (p) && (q) < N && level[q] >= climbing[p])

/* Process p, waiting, may pass its level: it is no longer the victim, or
 * no other process is at its level or above. */
#define MAY_PASS(p) \
	(victim[climbing[p]] != (p) || \
	 !(AT_OR_ABOVE(p, 0) || AT_OR_ABOVE(p, 1) || AT_OR_ABOVE(p, 2) || \
	   AT_OR_ABOVE(p, 3) || AT_OR_ABOVE(p, 4) || AT_OR_ABOVE(p, 5)))

#define IN_CRITICAL(p) ((p) < N && pc[p] == CRITICAL)
#define CRITICAL_COUNT \
	(IN_CRITICAL(0) + IN_CRITICAL(1) + IN_CRITICAL(2) + \
	 IN_CRITICAL(3) + IN_CRITICAL(4) + IN_CRITICAL(5))

/* One step of process p. The only step that can be disabled is leaving
 * WAIT; every other step is always enabled. */
inline step(p) {
	d_step {
		(p) < N && (pc[p] != WAIT || MAY_PASS(p)) ->
		if
		:: pc[p] == IDLE ->
			climbing[p] = 1;
			pc[p] = (SWAP -> SET_VICTIM : SET_LEVEL)
		:: pc[p] == SET_LEVEL ->
			level[p] = climbing[p];
			pc[p] = (SWAP -> WAIT : SET_VICTIM)
		:: pc[p] == SET_VICTIM ->
			victim[climbing[p]] = p;
			pc[p] = (SWAP -> SET_LEVEL : WAIT)
		:: pc[p] == WAIT ->
			if
			:: climbing[p] + 1 == N ->
				pc[p] = CRITICAL
			:: else ->
				climbing[p]++;
				pc[p] = (SWAP -> SET_VICTIM : SET_LEVEL)
			fi
		:: pc[p] == CRITICAL ->
			pc[p] = IDLE;
			climbing[p] = 0;
			level[p] = 0
		fi;
		/* mutual exclusion, checked after every step */
		assert(CRITICAL_COUNT <= 1)
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
	od
}
