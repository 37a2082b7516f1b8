/*
 * Two-phase commit in the shape of Lamport's TwoPhase specification: one
 * transaction manager (TM), N resource managers (RMs), and a message set
 * that only grows. Written to mirror lmc's built-in `two_phase_commit` model
 * state for state, so that SPIN's "states, stored" equals lmc's state count
 * exactly (288 for N=3).
 *
 *   scripts/spin-states.sh spec/promela/two_phase_commit.pml -DN=3 [-DBUG=1]
 *
 * Same encoding rules as peterson.pml: global variables initialised in their
 * declarations, one process whose single `do` loop has one guarded d_step
 * per action instance. The actions with an RM parameter r are written out
 * for r = 0..7 and disabled for r >= N; choosing r nondeterministically
 * (e.g. with `select`) would store intermediate states. Some actions may
 * leave the state unchanged (stuttering, as in TwoPhase); SPIN just finds
 * the state already stored, so that does not affect the count.
 *
 * With BUG=1 the TM commits without waiting for every "prepared" message,
 * which lets some RMs commit while others abort.
 */

#ifndef N
#define N 3          /* number of resource managers, 1..8 */
#endif
#ifndef BUG
#define BUG 0        /* 1: TM commits without all "prepared" messages */
#endif

/* RM states */
#define WORKING   0
#define PREPARED  1
#define COMMITTED 2
#define ABORTED   3

/* TM states */
#define TM_INIT      0
#define TM_COMMITTED 1
#define TM_ABORTED   2

#define BIT(r) (1 << (r))
#define ALL_RMS (BIT(N) - 1)

byte rm[N] = WORKING;
byte tm = TM_INIT;
byte tm_prepared = 0;       /* bit r: the TM has received r's "prepared" */
byte sent_prepared = 0;     /* message set: bit r, "prepared" from r sent */
bool sent_commit = false;   /* message set: "commit" sent */
bool sent_abort = false;    /* message set: "abort" sent */

/* Agreement: no RM committed while another aborted. */
#define HAS(r, s) ((r) < N && rm[r] == (s))
#define ANY(s) (HAS(0, s) || HAS(1, s) || HAS(2, s) || HAS(3, s) || \
                HAS(4, s) || HAS(5, s) || HAS(6, s) || HAS(7, s))
#define AGREE (!(ANY(COMMITTED) && ANY(ABORTED)))

/* The five actions with an RM parameter r, each an inline holding one
 * atomic guarded command. */

/* TMRcvPrepared(r): the TM receives r's "prepared" message */
inline tm_rcv_prepared(r) {
	d_step { (r) < N && tm == TM_INIT && (sent_prepared & BIT(r)) ->
		tm_prepared = tm_prepared | BIT(r) }
}

/* RMPrepare(r): r prepares and sends "prepared" */
inline rm_prepare(r) {
	d_step { (r) < N && rm[r] == WORKING ->
		rm[r] = PREPARED;
		sent_prepared = sent_prepared | BIT(r) }
}

/* RMChooseToAbort(r): r aborts on its own */
inline rm_choose_to_abort(r) {
	d_step { (r) < N && rm[r] == WORKING ->
		rm[r] = ABORTED;
		assert(AGREE) }
}

/* RMRcvCommitMsg(r): r receives "commit" */
inline rm_rcv_commit(r) {
	d_step { (r) < N && sent_commit ->
		rm[r] = COMMITTED;
		assert(AGREE) }
}

/* RMRcvAbortMsg(r): r receives "abort" */
inline rm_rcv_abort(r) {
	d_step { (r) < N && sent_abort ->
		rm[r] = ABORTED;
		assert(AGREE) }
}

/* All loop options for RM r (inlines cannot contribute `::` options
 * themselves, so this one-line macro lists them). */
#define RM_OPTIONS(r) \
	:: tm_rcv_prepared(r) :: rm_prepare(r) :: rm_choose_to_abort(r) \
	:: rm_rcv_commit(r) :: rm_rcv_abort(r)

active proctype main()
{
	do
	/* TMCommit */
	:: d_step { tm == TM_INIT && (BUG || tm_prepared == ALL_RMS) ->
		tm = TM_COMMITTED;
		sent_commit = true }
	/* TMAbort */
	:: d_step { tm == TM_INIT ->
		tm = TM_ABORTED;
		sent_abort = true }
	RM_OPTIONS(0)
	RM_OPTIONS(1)
	RM_OPTIONS(2)
	RM_OPTIONS(3)
	RM_OPTIONS(4)
	RM_OPTIONS(5)
	RM_OPTIONS(6)
	RM_OPTIONS(7)
	od
}
