/*
 * The cluster model of lmc (SE server cluster, CRD mirrors, Cluster Manager,
 * Live Migration with faults, abort and rollback, VM definition commands),
 * encoded by hand from spec/cluster/*.md so that SPIN's "states, stored"
 * equals the number of states `lmc check` explores on the same preset.
 *
 *   scripts/spin-states.sh spec/promela/cluster_default.pml    # 190005
 *   scripts/spin-states.sh spec/promela/cluster_default.pml -DPRESET=X86_LOCAL
 *   tests/spin/compare_cluster.sh build/lmc                    # every preset
 *
 * Presets (-DPRESET=NAME, examples/name.json): DEFAULT (the default),
 * X86_LOCAL, X86_NATIVE, TWO_VMS, RECOVERY, and the hazards P9_GAP and
 * RECOVER_WHILE_ALIVE. Their constants, copied by hand from the JSON files,
 * are the tables of the "Presets" section; everything after it is the same
 * for every preset. -DBUG=NAME switches on one of twelve seeded design bugs.
 *
 * Encoding rules. Every variable is global and initialised where it is
 * declared. One process runs one `do` loop; one iteration is one step of
 * the model: an `atomic` that picks one of the actions, each a d_step that
 * begins with its whole guard, and then runs the checks (observer and
 * invariants) in a second d_step. SPIN stores no state inside an atomic
 * sequence, so the loop head is the only control point it stores, and its
 * states correspond one to one with the model's (and "transitions" is lmc's
 * count plus one: SPIN also counts the initial state). The checks sit after
 * the choice, not inside each action, so that their code exists once: pan
 * then compiles in seconds instead of a minute. Actions with a parameter (an
 * MU, an SU, a link, a mirror, a VM, a page) are written out once per value;
 * options for values beyond the preset's sizes are left out. Scratch
 * variables are `hidden` (not in the state vector) and are written before
 * they are read in the same step.
 *
 * The stored variables carry exactly the information of the model's State
 * (spec/cluster/state.md), except what cannot change the number of states:
 *  - the observer's verdict bits (I4, I5, I7, I10) are not stored: the same
 *    checks are assertions on the step that would set them, so a reachable
 *    state with a verdict set is an assertion violation here;
 *  - `spare` (always 0), and VMs and pages beyond the preset's (zero slots
 *    in the model), are not declared.
 * Every stored variable must be READ somewhere: SPIN leaves variables that
 * are only written out of the state vector, which merges states lmc keeps
 * apart (guest_jv, migrations and abort_phase are read by the O2, O5 and
 * CH-4 assertions; without those, default gives 179031 states).
 */

/* ------------------------------------------------------------ Enumerations */

/* VM states (P13) */
#define RUNNING      0
#define INIT_ONLY    1
#define DOWN         2
#define DEFINED_ONLY 3
#define WAIT         4

/* LM phases (WP 4.4) */
#define IDLE         0
#define ACCEPTED     1
#define SETUP        2
#define MEMCOPY      3
#define IO_STOPPED   4
#define FINAL_COPIED 5
#define SUSPENDED    6
#define HANDED_OVER  7
#define COMMITTED    8
#define DONE         9

/* MONJV of a request (O1) */
#define JV_NONE 0
#define JV_S    1
#define JV_R    2
#define JV_T    3
#define JV_TW   4
#define JV_AE   5
#define JV_AF   6

/* abort causes (A2) */
#define C_NONE           0
#define C_NETWORK        1
#define C_TARGET_LOST    2
#define C_RESOURCES      3
#define C_NONCONVERGENCE 4
#define C_RESUME_FAILED  5
#define C_SOURCE_LOST    6

/* the guest's own MONJV (O2) */
#define G_MONITORING 0
#define G_MIGR_OUT   1
#define G_TERMINATED 2

#define NONE   255   /* no unit */
#define NOPAGE 255   /* the target holds no copy of the page */

/* milestone bits */
#define M_RESYNCED  1
#define M_RECOVERED 2

/* ----------------------------------------------------------------- Presets */

#define DEFAULT    1
#define X86_LOCAL  2
#define X86_NATIVE 3
#define TWO_VMS    4
#define P9_GAP     5
#define RECOVERY   6
#define RECOVER_WHILE_ALIVE 7

#ifndef PRESET
#define PRESET DEFAULT
#endif

/* Scale presets (examples/scale/NAME.json): a built-in preset with a larger
 * scope, for `lmc bench check`; SPIN needs about a minute or more on each. */
#define SCALE_FAULTS  8   /* default (SU /390), fault budget 4 */
#define SCALE_X86     9   /* x86-native (SU x86), fault budget 4, three guest writes */
#define SCALE_TWO_VMS 10  /* two-vms, fault budget 3, every fault kind */
#if PRESET == SCALE_FAULTS
#undef PRESET
#define PRESET DEFAULT
#define SCALE_BUDGET 4
#elif PRESET == SCALE_X86
#undef PRESET
#define PRESET X86_NATIVE
#define SCALE_BUDGET 4
#define SCALE_GUEST_WRITES 3
#elif PRESET == SCALE_TWO_VMS
#undef PRESET
#define PRESET TWO_VMS
#define SCALE_BUDGET 3
#define SCALE_ALL_FAULTS 1
#endif

/* Seeded design bugs (-DBUG=NAME), the same twelve as `lmc check
 * --list-mutants`, written again here: each must make SPIN fail the
 * assertion named in the comment (on DEFAULT, or the preset in brackets). */
#define SKIP_FINAL_COPY           1   /* I5: final copy sends nothing */
#define RESUME_BEFORE_SUSPEND     2   /* I1: hand-over without suspend */
#define SOURCE_RESUME_ON_TIMEOUT  3   /* I4: in-doubt abort without the CRD */
#define MOVE_DEFINITION_LATE      4   /* I2: owner moves at cleanup */
#define SECOND_LM_SAME_SOURCE     5   /* I3: no P16 [TWO_VMS] */
#define NO_REATTACH_ON_ABORT      6   /* I4: rollback keeps devices detached */
#define DOUBLE_FREE_TARGET_MEMORY 7   /* I6: rollback frees twice */
#define STATE_FROM_DEFINITION     8   /* I7: target starts the guest INIT_ONLY */
#define TWO_CLUSTER_MANAGERS      9   /* I8: takeover by heartbeat, not lease */
#define CRD_SINGLE_MIRROR_WRITE   10  /* I9: a write reaches one mirror */
#define READ_STALE_MIRROR         11  /* I9: reads ignore stale marks */
#define MONJV_STUCK_RUNNING       12  /* I10: an abort leaves $R */
#ifndef BUG
#define BUG 0
#endif

/*
 * Per preset:
 *  N_MU, N_SU, N_ISL, N_EXT, N_VM, N_PAGES  sizes
 *  MU_ON_1, SU_ON_1   units on server 1 (bit i = unit i); the rest are on 0
 *  X86_SUS            SUs /x86 (the others are /390)
 *  MIRROR_SUS         SUs with an internal configuration disk on the CRD
 *                     (clustered SUs x86); must be SUs 0..k-1, since their
 *                     mirrors follow the MUs' in SU order
 *  CL_A, CL_B         the SU cluster (every preset here has one, active)
 *  SU_MEM_u, MAX_DEFS_u, MAX_INDEX_u, NATIVE_SUS    per SU
 *  VM_MEM_v, VM_INDEX_v (0 = *ANY), VM_DEVS_v (all devices),
 *  VM_TAPE_ELD_v (tapes and emulated local disks), VM_PAV_v (PAV aliases),
 *  VM_NET_SUS_v (SUs with all of the VM's network segments, for P9)
 *  MIGRATE            VMs the operator may migrate
 *  GUEST_WRITES, MAX_ROUNDS, BUDGET, REQUESTS, F_*    the scope
 *  DEFINITION_COMMANDS, OPERATOR_VERIFIES_REMOTE_DOWN      the same in scope
 *  INIT_*             the initial values of the per-unit arrays (VM on its
 *                     SU, RUNNING, executing, resident, devices attached)
 * Prerequisites that depend only on the configuration (P2-P4, P6, P10-P12,
 * P15, P17-P19) hold for every request in these presets and are left out;
 * so is the device part of I6 (no SU has exclusively used devices).
 */

#if PRESET == DEFAULT || PRESET == TWO_VMS || PRESET == P9_GAP || \
    PRESET == RECOVERY || PRESET == RECOVER_WHILE_ALIVE
/* ABGSE701 (abgwhite, abgblack, ABGSU701), ABGSE702 (abgred, abggreen,
 * ABGSU702); two ISL-E links, two external disks; SU /390 cluster SUC1. */
#define N_MU       4
#define MU_ON_1    12       /* abgred, abggreen */
#define N_SU       2
#define SU_ON_1    2        /* ABGSU702 */
#define X86_SUS    0
#define NATIVE_SUS 0
#define MIRROR_SUS 0
#define N_ISL      2
#define N_EXT      2
#define CL_A       0
#define CL_B       1
#define SU_MEM_0   8
#define SU_MEM_1   8
#define MAX_DEFS_0 4
#define MAX_DEFS_1 4
#define MAX_INDEX_0 4
#define MAX_INDEX_1 4
/* VM12PROD on ABGSU701: index 2, 2 units, disk 4683, tape 0C10, PAV 5F01 */
#define VM_MEM_0      2
#define VM_INDEX_0    2
#define VM_DEVS_0     7
#define VM_TAPE_ELD_0 2
#define VM_PAV_0      4
#define N_PAGES       2
#define MAX_ROUNDS    2
#endif

#if PRESET == DEFAULT
#define N_VM          1
#define VM_NET_SUS_0  3
#define MIGRATE       1
#define GUEST_WRITES  2
#define BUDGET        2
#define REQUESTS      1
#define F_MU_CRASH    1
#define F_SU_CRASH    1
#define F_ISL_DOWN    1
#define F_DISK        1
#define F_ALLOC       1
#define F_RESUME      1
#define INIT_FREE     { 6, 8 }
#define INIT_OWNER    { 0 }
#define INIT_VSTATE   { RUNNING }
#define INIT_EXEC     { 1 }
#define INIT_RESIDENT { 1 }
#define INIT_ATTACHED { 7 }
#endif

#if PRESET == RECOVERY || PRESET == RECOVER_WHILE_ALIVE
/* default topology, no LM requests; the VM definition commands instead */
#define N_VM          1
#define VM_NET_SUS_0  3
#define MIGRATE       1
#define GUEST_WRITES  1
#define REQUESTS      0
#define DEFINITION_COMMANDS 1
#define F_ISL_DOWN    0
#define F_DISK        0
#define F_ALLOC       0
#define F_RESUME      0
#define INIT_FREE     { 6, 8 }
#define INIT_OWNER    { 0 }
#define INIT_VSTATE   { RUNNING }
#define INIT_EXEC     { 1 }
#define INIT_RESIDENT { 1 }
#define INIT_ATTACHED { 7 }
#endif
#if PRESET == RECOVERY
/* one SU crash; the operator checks that the remote SU is down (D3) */
#define BUDGET        1
#define F_MU_CRASH    0
#define F_SU_CRASH    1
#define OPERATOR_VERIFIES_REMOTE_DOWN 1
#endif
#if PRESET == RECOVER_WHILE_ALIVE
/* two MU crashes, and the operator does not check (a hazard: I2 fails) */
#define BUDGET        2
#define F_MU_CRASH    1
#define F_SU_CRASH    0
#define OPERATOR_VERIFIES_REMOTE_DOWN 0
#endif

#if PRESET == P9_GAP
/* default, but ABGSU702 has only LAN2, and no faults */
#define N_VM          1
#define VM_NET_SUS_0  1
#define MIGRATE       1
#define GUEST_WRITES  1
#define BUDGET        0
#define REQUESTS      1
#define F_MU_CRASH    1
#define F_SU_CRASH    1
#define F_ISL_DOWN    1
#define F_DISK        1
#define F_ALLOC       1
#define F_RESUME      1
#define INIT_FREE     { 6, 8 }
#define INIT_OWNER    { 0 }
#define INIT_VSTATE   { RUNNING }
#define INIT_EXEC     { 1 }
#define INIT_RESIDENT { 1 }
#define INIT_ATTACHED { 7 }
#endif

#if PRESET == TWO_VMS
/* default topology; VM13TEST beside VM12PROD: index 3, 1 unit, disk 4684 */
#define N_VM          2
#define VM_NET_SUS_0  3
#define VM_MEM_1      1
#define VM_INDEX_1    3
#define VM_DEVS_1     1
#define VM_TAPE_ELD_1 0
#define VM_PAV_1      0
#define VM_NET_SUS_1  3
#define MIGRATE       3
#define GUEST_WRITES  1
#define BUDGET        1
#define REQUESTS      2
#define F_MU_CRASH    0
#define F_SU_CRASH    0
#define F_ISL_DOWN    0
#define F_DISK        0
#define F_ALLOC       0
#define F_RESUME      1
#define INIT_FREE     { 5, 8 }
#define INIT_OWNER    { 0, 0 }
#define INIT_VSTATE   { RUNNING, RUNNING }
#define INIT_EXEC     { 1, 1 }
#define INIT_RESIDENT { 1, 1 }
#define INIT_ATTACHED { 7, 1 }
#endif

#if PRESET == X86_LOCAL
/* one SE300 ABGSE302: MU abgblue, SUs x86 abgorange and abgbrown in the
 * server-internal cluster orngbrwn; no ISL-E, one external disk. Mirrors:
 * the external disk, abgblue's, abgorange's, abgbrown's. */
#define N_MU       1
#define MU_ON_1    0
#define N_SU       2
#define SU_ON_1    0
#define X86_SUS    3
#define NATIVE_SUS 0
#define MIRROR_SUS 3
#define N_ISL      0
#define N_EXT      1
#define CL_A       0
#define CL_B       1
#define SU_MEM_0   8
#define SU_MEM_1   8
#define MAX_DEFS_0 4
#define MAX_DEFS_1 4
#define MAX_INDEX_0 4
#define MAX_INDEX_1 4
/* VM03PROD on abgorange: *ANY, 2 units, disk CC44, emulated local disk
 * L000, tape T100 */
#define N_VM          1
#define VM_MEM_0      2
#define VM_INDEX_0    0
#define VM_DEVS_0     7
#define VM_TAPE_ELD_0 6
#define VM_PAV_0      0
#define VM_NET_SUS_0  3
#define MIGRATE       1
#define N_PAGES       2
#define GUEST_WRITES  1
#define MAX_ROUNDS    2
#define BUDGET        2
#define REQUESTS      1
#define F_MU_CRASH    1
#define F_SU_CRASH    1
#define F_ISL_DOWN    0
#define F_DISK        1
#define F_ALLOC       1
#define F_RESUME      1
#define INIT_FREE     { 6, 8 }
#define INIT_OWNER    { 0 }
#define INIT_VSTATE   { RUNNING }
#define INIT_EXEC     { 1 }
#define INIT_RESIDENT { 1 }
#define INIT_ATTACHED { 7 }
#endif

#if PRESET == X86_NATIVE
/* ABGSE301 (abgblack, ABGSU30A), ABGSE302 (abgblue, ABGSU30B); one ISL-E
 * link, two external disks; native SU x86 cluster SE30AB. Mirrors: two
 * external, abgblack's, abgblue's, ABGSU30A's, ABGSU30B's. */
#define N_MU       2
#define MU_ON_1    2
#define N_SU       2
#define SU_ON_1    2
#define X86_SUS    3
#define NATIVE_SUS 3
#define MIRROR_SUS 3
#define N_ISL      1
#define N_EXT      2
#define CL_A       0
#define CL_B       1
#define SU_MEM_0   8
#define SU_MEM_1   8
#define MAX_DEFS_0 1
#define MAX_DEFS_1 1
#define MAX_INDEX_0 1
#define MAX_INDEX_1 1
/* BS2PROD on ABGSU30A: *ANY, 4 units, disk FAAE */
#define N_VM          1
#define VM_MEM_0      4
#define VM_INDEX_0    0
#define VM_DEVS_0     1
#define VM_TAPE_ELD_0 0
#define VM_PAV_0      0
#define VM_NET_SUS_0  3
#define MIGRATE       1
#define N_PAGES       2
#define GUEST_WRITES  1
#define MAX_ROUNDS    2
#define BUDGET        2
#define REQUESTS      1
#define F_MU_CRASH    1
#define F_SU_CRASH    1
#define F_ISL_DOWN    1
#define F_DISK        1
#define F_ALLOC       0
#define F_RESUME      1
#define INIT_FREE     { 4, 8 }
#define INIT_OWNER    { 0 }
#define INIT_VSTATE   { RUNNING }
#define INIT_EXEC     { 1 }
#define INIT_RESIDENT { 1 }
#define INIT_ATTACHED { 1 }
#endif

#ifndef N_VM
#error "unknown PRESET"
#endif
#ifdef SCALE_BUDGET
#undef BUDGET
#define BUDGET SCALE_BUDGET
#endif
#ifdef SCALE_GUEST_WRITES
#undef GUEST_WRITES
#define GUEST_WRITES SCALE_GUEST_WRITES
#endif
#ifdef SCALE_ALL_FAULTS
#undef F_MU_CRASH
#undef F_SU_CRASH
#undef F_ISL_DOWN
#undef F_DISK
#undef F_ALLOC
#undef F_RESUME
#define F_MU_CRASH 1
#define F_SU_CRASH 1
#define F_ISL_DOWN 1
#define F_DISK     1
#define F_ALLOC    1
#define F_RESUME   1
#endif
#ifndef DEFINITION_COMMANDS
#define DEFINITION_COMMANDS 0  /* D2, D3 commands and liveness records */
#define OPERATOR_VERIFIES_REMOTE_DOWN 1
#endif
#if N_MU > 4 || N_SU > 2 || N_VM > 2 || N_PAGES > 4 || N_ISL > 2
#error "the preset is larger than the tables and options written out below"
#endif

/* ----------------------------------------------------------- Derived tables */

#define BIT(i)        (1 << (i))
#define HAS(mask, i)  ((((mask) >> (i)) & 1) != 0)
#define LOWBIT(x)     ((x) & (-(x)))   /* lowest set bit, as a mask */
#define ONE_AT_MOST(x) (((x) & ((x) - 1)) == 0)

#define ALL_MU     (BIT(N_MU) - 1)
#define ALL_SU     (BIT(N_SU) - 1)
#define ALL_ISL    (BIT(N_ISL) - 1)
#define ALL_PAGES  (BIT(N_PAGES) - 1)
#define N_MIRROR_SU (HAS(MIRROR_SUS, 0) + HAS(MIRROR_SUS, 1) + \
                     HAS(MIRROR_SUS, 2) + HAS(MIRROR_SUS, 3))
/* mirror order (C1): external disks, one per MU, one per clustered SU x86 */
#define N_MIRROR   (N_EXT + N_MU + N_MIRROR_SU)
#define ALL_MIRRORS (BIT(N_MIRROR) - 1)
#define EXT_MIRRORS (BIT(N_EXT) - 1)
#if N_MIRROR > 6
#error "more mirrors than the options written out below"
#endif

#define MU_SERVER(m)   HAS(MU_ON_1, m)
#define SU_SERVER(u)   HAS(SU_ON_1, u)
#define MUS_ON(s)      ((s) -> MU_ON_1 : (ALL_MU & ~MU_ON_1))
#define SUS_ON(s)      ((s) -> SU_ON_1 : (ALL_SU & ~SU_ON_1))
#define PARTNER(u)     ((u) == CL_A -> CL_B : CL_A)
#define CLUSTERED(u)   ((u) == CL_A || (u) == CL_B)

#define SU_MEM(u)    ((u) == 0 -> SU_MEM_0 : SU_MEM_1)
#define MAX_DEFS(u)  ((u) == 0 -> MAX_DEFS_0 : MAX_DEFS_1)
#define MAX_INDEX(u) ((u) == 0 -> MAX_INDEX_0 : MAX_INDEX_1)

#if N_VM == 1
#define VM_TABLE(v, field) (field##_0)
#else
#define VM_TABLE(v, field) ((v) == 0 -> field##_0 : field##_1)
#endif
#define VM_MEM(v)      VM_TABLE(v, VM_MEM)
#define VM_INDEX(v)    VM_TABLE(v, VM_INDEX)
#define VM_DEVS(v)     VM_TABLE(v, VM_DEVS)
#define VM_TAPE_ELD(v) VM_TABLE(v, VM_TAPE_ELD)
#define VM_PAV(v)      VM_TABLE(v, VM_PAV)
#define VM_NET_SUS(v)  VM_TABLE(v, VM_NET_SUS)

/* ----------------------------------------------------------------- State */

/* CRD mirrors (C5, I9) */
short mirror_failed = 0;
short mirror_stale = 0;
short mirror_behind = 0;    /* ghost: really missed the last committed write */
/* hardware (H3, H4) and the budgets */
byte mu_up = ALL_MU;
byte su_up = ALL_SU;
byte isl_up = ALL_ISL;
byte faults_left = BUDGET;
byte requests_left = REQUESTS;
/* Cluster Manager (M2): MU 0 holds the role and the lease */
byte cm_role = 1;
byte cm_lease = 0;
/* the CM's heartbeat view (H3, M3) */
byte view_mu = ALL_MU;
byte view_su = ALL_SU;
byte view_isl = ALL_ISL;
bit view_crd_degraded = 0;
bit stale_read = 0;         /* ghost: a read used a mirror that was behind */
byte milestones = 0;        /* ghost: M_RESYNCED, M_RECOVERED */
byte liveness_expired = 0;  /* SUs whose liveness record timed out (D3) */
short free_memory[N_SU] = INIT_FREE;

/* per VM */
byte owner[N_VM] = INIT_OWNER;        /* the SU owning the definition */
byte vstate[N_VM] = INIT_VSTATE;
byte exec[N_VM] = INIT_EXEC;          /* SUs executing the guest */
byte resident[N_VM] = INIT_RESIDENT;  /* SUs holding its memory */
byte attached[N_VM] = INIT_ATTACHED;  /* devices attached to the guest */
byte target_devices[N_VM] = 0;
byte writes_left[N_VM] = 0;
byte guest_jv[N_VM] = G_MONITORING;
byte migrations[N_VM] = 0;
byte memory[N_VM * N_PAGES] = 0;      /* page versions, [v * N_PAGES + p] */
byte copy[N_VM * N_PAGES] = NOPAGE;   /* the target's copies */

/* the LM of each VM */
byte phase[N_VM] = IDLE;
byte jv[N_VM] = JV_NONE;
byte source[N_VM] = NONE;
byte target[N_VM] = NONE;
byte round[N_VM] = 0;
byte dirty[N_VM] = 0;
byte detached[N_VM] = 0;
byte cause[N_VM] = C_NONE;
byte abort_phase[N_VM] = IDLE;
byte snap_state[N_VM] = 0;
byte snap_attached[N_VM] = 0;

/* missed, not stored */
hidden byte vi;                 /* VM loop */
hidden byte pi;                /* page loop */
hidden short missed;
hidden byte was_jv[N_VM];
hidden byte was_phase[N_VM];

/* ----------------------------------------------------- Reachability (pure) */

/* MCNPR connects the two servers while an ISL-E link is up (H2, H4). */
#define CONNECTED(a, b) ((a) == (b) || isl_up != 0)
/* units up and reachable from server s */
#define MUS_SEEN(s) (mu_up & (isl_up != 0 -> ALL_MU : MUS_ON(s)))
#define SUS_SEEN(s) (su_up & (isl_up != 0 -> ALL_SU : SUS_ON(s)))
/* Mirrors a unit on server s reaches: external disks over FC, internal
 * disks of the units up and connected; never a failed disk. */
#define REACH(s) (~mirror_failed & (EXT_MIRRORS | (MUS_SEEN(s) << N_EXT) | \
                  ((SUS_SEEN(s) & MIRROR_SUS) << (N_EXT + N_MU))))
/* ... of those, the ones that may be read (not marked stale) */
#define READABLE(s) (REACH(s) & ~mirror_stale)
#define CRD_OK(s)   (READABLE(s) != 0)

/* An SU x86 reaches the CRD directly, an SU /390 through a running MU of
 * its own server (C4). */
#define SU_REACHES_CRD(u) (HAS(su_up, u) && \
	(HAS(X86_SUS, u) || (mu_up & MUS_ON(SU_SERVER(u))) != 0) && \
	CRD_OK(SU_SERVER(u)))
#define SU_REACHABLE(from, to) (HAS(su_up, to) && \
	CONNECTED(SU_SERVER(from), SU_SERVER(to)))
#define TARGET_REACHABLE(v) (HAS(su_up, source[v]) && \
	SU_REACHABLE(source[v], target[v]))

/* the Cluster Manager: the lowest MU holding the role that is up */
#define CM_BITS   (cm_role & mu_up)
#define CM_ALIVE  (CM_BITS != 0)
#define CM_SERVER ((LOWBIT(CM_BITS) & MU_ON_1) != 0)

#define ACTIVE(v) (phase[v] != IDLE && phase[v] != DONE)

/* ------------------------------------------------------ CRD protocol (C5) */

/* Read: the lowest readable mirror; reading one that is behind is a stale
 * read (I9). The caller's guard has checked that one exists. */
#if BUG == READ_STALE_MIRROR
#define READ_MIRROR(s) LOWBIT(REACH(s))
#else
#define READ_MIRROR(s) LOWBIT(READABLE(s))
#endif
inline crd_read(s) {
	if
	:: (mirror_behind & READ_MIRROR(s)) != 0 -> stale_read = 1
	:: else -> skip
	fi
}

/* Write: every readable mirror gets it; every other one misses it and is
 * marked stale. The caller's guard has checked CRD_OK(s). */
inline crd_write(s) {
#if BUG == CRD_SINGLE_MIRROR_WRITE
	mirror_behind = ALL_MIRRORS & ~LOWBIT(READABLE(s))
#else
	missed = ALL_MIRRORS & ~READABLE(s);
	mirror_behind = missed;
	mirror_stale = mirror_stale | missed
#endif
}

/* -------------------------------------------------- Observer and invariants */

inline remember() {
	vi = 0;
	do
	:: vi < N_VM -> was_jv[vi] = jv[vi]; was_phase[vi] = phase[vi]; vi++
	:: else -> break
	od
}

#define TERMINAL(j) ((j) == JV_T || (j) == JV_TW || (j) == JV_AE || (j) == JV_AF)
/* O1: $S -> $R -> $T/$TW/$AE, $S -> $AE, $AF; a terminal status may be
 * followed by a new request's $S or $AF. */
#define ALLOWED(from, to) ((from) == (to) || \
	((from) == JV_NONE && ((to) == JV_S || (to) == JV_AF)) || \
	((from) == JV_S && ((to) == JV_R || (to) == JV_AE)) || \
	((from) == JV_R && ((to) == JV_T || (to) == JV_TW || (to) == JV_AE)) || \
	(TERMINAL(from) && ((to) == JV_S || (to) == JV_AF)))

/*
 * Every assertion is on one line that ends with the name of what it checks
 * (I1..I10, P9, O2, O5, CH-4): SPIN reports the line of a failed assertion,
 * and tests/spin/compare_cluster.sh reads the name from there.
 */

#define TARGET_CLEAN(v) (!HAS(resident[v], target[v]) && \
	!HAS(exec[v], target[v]) && target_devices[v] == 0)
#define SOURCE_WHOLE(v) (owner[v] == source[v] && vstate[v] == snap_state[v] && \
	attached[v] == snap_attached[v] && \
	(snap_state[v] != RUNNING || HAS(exec[v], source[v])))

/* I4: after an abort the source side is as at the request, and the target
 * holds nothing of the VM (memory, execution, devices, page copies) */
inline assert_rolled_back(v) {
	assert(TARGET_CLEAN(v) && SOURCE_WHOLE(v));                            /* I4 */
	pi = 0;
	do
	:: pi < N_PAGES -> assert(copy[v * N_PAGES + pi] == NOPAGE); pi++      /* I4 */
	:: else -> break
	od
}

/* The observer of the model (observer.cpp), as assertions on the step. */
inline observe() {
	vi = 0;
	do
	:: vi < N_VM ->
		assert(ALLOWED(was_jv[vi], jv[vi]));                                /* I10 */
		/* an abort (not a lost source) leaves a full rollback */
		if
		:: was_phase[vi] != DONE && phase[vi] == DONE &&
		   cause[vi] != C_NONE && cause[vi] != C_SOURCE_LOST ->
			assert_rolled_back(vi)
		:: else -> skip
		fi;
		/* the guest arrives on the target as it left */
		if
		:: was_phase[vi] == HANDED_OVER && phase[vi] == COMMITTED ->
			assert(vstate[vi] == snap_state[vi]);                           /* I7 */
			pi = 0;
			do
			:: pi < N_PAGES ->
				assert(copy[vi * N_PAGES + pi] == memory[vi * N_PAGES + pi]); /* I5 */
				pi++
			:: else -> break
			od
		:: else -> skip
		fi;
		vi++
	:: else -> break
	od
}

/* memory held on SU u by the modelled VMs */
#define SU_HELD(u) ( \
	(N_VM > 0 && HAS(resident[0], u) -> VM_MEM(0) : 0) + \
	(N_VM > 1 && HAS(resident[1 % N_VM], u) -> VM_MEM(1) : 0))
#define MEMORY_OK(u) (free_memory[u] >= 0 && free_memory[u] == SU_MEM(u) - SU_HELD(u))
/* CH-4: an abort happens before the commit point, and only an abort sets
 * a cause */
#define ABORT_BEFORE_COMMIT(v) ( \
	(cause[v] == C_NONE && abort_phase[v] == IDLE) || \
	(cause[v] != C_NONE && abort_phase[v] >= ACCEPTED && abort_phase[v] <= HANDED_OVER))

/* The invariants, after every step (the initial state satisfies them). */
inline invariants() {
	vi = 0;
	do
	:: vi < N_VM ->
		assert(ONE_AT_MOST(exec[vi]));                                     /* I1 */
		assert(owner[vi] < N_SU && (exec[vi] == 0 || exec[vi] == BIT(owner[vi]))); /* I2 */
		assert(phase[vi] != DONE || TERMINAL(jv[vi]));                      /* I10 */
		assert(!ACTIVE(vi) || jv[vi] == JV_S || jv[vi] == JV_R);             /* I10 */
		assert((exec[vi] & ~VM_NET_SUS(vi)) == 0);                          /* P9 */
		/* the guest's own MONJV shows MIGR-OUT while an LM runs */
		assert(phase[vi] < SETUP || phase[vi] > COMMITTED || guest_jv[vi] == G_MIGR_OUT); /* O2 */
		/* LIVE-MIG-COUNT counts only requests that succeeded */
		assert(migrations[vi] + requests_left <= REQUESTS);                /* O5 */
		assert(ABORT_BEFORE_COMMIT(vi));                                   /* CH-4 */
		vi++
	:: else -> break
	od;
#if N_VM > 1
	assert(!(ACTIVE(0) && ACTIVE(1) && source[0] == source[1]));          /* I3 */
#endif
	assert(MEMORY_OK(0) && MEMORY_OK(1));                                 /* I6 */
	assert(ONE_AT_MOST(cm_role));                                         /* I8 */
	assert(!stale_read && (mirror_behind & ~mirror_stale) == 0);          /* I9 */
}

/* With -DDUMP (and pan compiled with -DPRINTF) every step prints the state
 * it reaches, one line each, for comparing the state sets with a dump of
 * lmc's (a debugging aid: `sort -u` of the output, plus the initial state,
 * is the reachable set). */
#ifdef DUMP
inline dump_state() {
	printf("%d %d %d %d ", mirror_failed, mirror_stale, mirror_behind, mu_up);
	printf("%d %d %d %d ", su_up, isl_up, faults_left, requests_left);
	printf("%d %d %d %d ", cm_role, cm_lease, view_mu, view_su);
	printf("%d %d %d %d ", view_isl, view_crd_degraded, stale_read, milestones);
	printf("%d |", liveness_expired);
	printf(" %d %d", free_memory[0], free_memory[1]);
	vi = 0;
	do
	:: vi < N_VM ->
		printf(" | %d %d %d %d", owner[vi], vstate[vi], exec[vi], resident[vi]);
		printf(" %d %d %d %d", attached[vi], target_devices[vi], writes_left[vi], guest_jv[vi]);
		printf(" %d m", migrations[vi]);
		pi = 0;
		do
		:: pi < N_PAGES -> printf(" %d", memory[vi * N_PAGES + pi]); pi++
		:: else -> break
		od;
		printf(" c");
		pi = 0;
		do
		:: pi < N_PAGES -> printf(" %d", copy[vi * N_PAGES + pi]); pi++
		:: else -> break
		od;
		printf(" L %d %d %d %d", phase[vi], jv[vi], source[vi], target[vi]);
		printf(" %d %d %d %d", round[vi], dirty[vi], detached[vi], cause[vi]);
		printf(" %d %d %d v0", abort_phase[vi], snap_state[vi], snap_attached[vi]);
		vi++
	:: else -> break
	od;
	printf("\n")
}
#else
#define dump_state() skip
#endif

/* after every step: the observer, the invariants */
inline finish() {
	observe();
	invariants();
	dump_state()
}

/* --------------------------------------------------- Rollback (A3) */

inline clear_copy(v) {
	pi = 0;
	do
	:: pi < N_PAGES -> copy[v * N_PAGES + pi] = NOPAGE; pi++
	:: else -> break
	od
}

/* copy the pages in `pages` to the target */
inline copy_pages(v, pages) {
	pi = 0;
	do
	:: pi < N_PAGES ->
		if
		:: HAS(pages, pi) -> copy[v * N_PAGES + pi] = memory[v * N_PAGES + pi]
		:: else -> skip
		fi;
		pi++
	:: else -> break
	od
}

/* Undo everything on the target, give the guest its devices back and let
 * it run on the source again (unless the source died with it). */
inline roll_back(v, why) {
#if BUG == SOURCE_RESUME_ON_TIMEOUT
	if
	:: phase[v] == COMMITTED ->
		/* the target already runs the guest and never hears of this */
		attached[v] = attached[v] | detached[v];
		if
		:: vstate[v] == RUNNING -> exec[v] = exec[v] | BIT(source[v])
		:: else -> skip
		fi;
		abort_phase[v] = phase[v];
		cause[v] = why;
		jv[v] = JV_AE;
		phase[v] = DONE
	:: else ->
#endif
	if
	:: HAS(resident[v], target[v]) ->
#if BUG == DOUBLE_FREE_TARGET_MEMORY
		free_memory[target[v]] = free_memory[target[v]] + 2 * VM_MEM(v);
#else
		free_memory[target[v]] = free_memory[target[v]] + VM_MEM(v);
#endif
		resident[v] = resident[v] & ~BIT(target[v])
	:: else -> skip
	fi;
	exec[v] = exec[v] & ~BIT(target[v]);
	target_devices[v] = 0;
	clear_copy(v);
#if BUG != NO_REATTACH_ON_ABORT
	attached[v] = attached[v] | detached[v];
#endif
	if
	:: HAS(su_up, source[v]) && why != C_SOURCE_LOST ->
		if
		:: vstate[v] == RUNNING -> exec[v] = exec[v] | BIT(source[v])
		:: else -> skip
		fi;
		guest_jv[v] = G_MONITORING
	:: else -> skip
	fi;
	writes_left[v] = 0;
	abort_phase[v] = phase[v];
	cause[v] = why;
	dirty[v] = 0;
	round[v] = 0;
#if BUG == MONJV_STUCK_RUNNING
	jv[v] = JV_R;
#else
	jv[v] = JV_AE;
#endif
	phase[v] = DONE
#if BUG == SOURCE_RESUME_ON_TIMEOUT
	fi
#endif
}

/* ---------------------------------------------- Faults (each costs budget) */

#define CAN_FAULT(f) ((f) && faults_left > 0)

inline mu_crash(m) {
	d_step {
		(m) < N_MU && HAS(mu_up, m) && CAN_FAULT(F_MU_CRASH) ->
		remember();
		faults_left--;
		mu_up = mu_up & ~BIT(m);
		cm_role = cm_role & ~BIT(m)   /* the CM software dies with its MU */
	}
}

inline su_crash(u) {
	d_step {
		(u) < N_SU && HAS(su_up, u) && CAN_FAULT(F_SU_CRASH) ->
		remember();
		faults_left--;
		su_up = su_up & ~BIT(u);
		vi = 0;
		do
		:: vi < N_VM ->
			/* before the commit, an LM from or to the dead SU is undone */
			if
			:: ACTIVE(vi) && source[vi] == (u) && phase[vi] != COMMITTED ->
				roll_back(vi, C_SOURCE_LOST)
			:: else -> skip
			fi;
			if
			:: ACTIVE(vi) && target[vi] == (u) && phase[vi] != COMMITTED ->
				roll_back(vi, C_TARGET_LOST)
			:: else -> skip
			fi;
			/* its guests are gone; the definitions it owns are DEFINED_ONLY */
			exec[vi] = exec[vi] & ~BIT(u);
			resident[vi] = resident[vi] & ~BIT(u);
			if
			:: owner[vi] == (u) -> vstate[vi] = DEFINED_ONLY
			:: else -> skip
			fi;
			vi++
		:: else -> break
		od;
		free_memory[u] = SU_MEM(u)
	}
}

inline isl_down(l) {
	d_step {
		(l) < N_ISL && HAS(isl_up, l) && CAN_FAULT(F_ISL_DOWN) ->
		remember();
		faults_left--;
		isl_up = isl_up & ~BIT(l)
	}
}

inline disk_fail(d) {
	d_step {
		(d) < N_MIRROR && !HAS(mirror_failed, d) && CAN_FAULT(F_DISK) ->
		remember();
		faults_left--;
		mirror_failed = mirror_failed | BIT(d)
	}
}

/* ------------------------------------------------ Repairs (free) */

inline mu_restart(m) {
	d_step {
		(m) < N_MU && !HAS(mu_up, m) ->
		remember();
		mu_up = mu_up | BIT(m);
		/* a CM whose lease is still its own takes the role back (CH-3) */
		if
		:: cm_lease == (m) && CRD_OK(MU_SERVER(m)) -> cm_role = cm_role | BIT(m)
		:: else -> skip
		fi
	}
}

inline su_restart(u) {
	d_step {
		(u) < N_SU && !HAS(su_up, u) ->
		remember();
		su_up = su_up | BIT(u)
	}
}

inline isl_repair(l) {
	d_step {
		(l) < N_ISL && !HAS(isl_up, l) ->
		remember();
		isl_up = isl_up | BIT(l)
	}
}

inline disk_repair(d) {
	d_step {
		(d) < N_MIRROR && HAS(mirror_failed, d) ->
		remember();
		mirror_failed = mirror_failed & ~BIT(d)   /* a stale mark stays */
	}
}

/* the CM copies a stale, reachable mirror from the mirror a read would use */
inline disk_resync(d) {
	d_step {
		(d) < N_MIRROR && CM_ALIVE && HAS(mirror_stale, d) &&
		HAS(REACH(CM_SERVER), d) && CRD_OK(CM_SERVER) ->
		remember();
		if
		:: (mirror_behind & LOWBIT(READABLE(CM_SERVER))) != 0 ->
			stale_read = 1;
			mirror_behind = mirror_behind | BIT(d)
		:: else ->
			mirror_behind = mirror_behind & ~BIT(d)
		fi;
		mirror_stale = mirror_stale & ~BIT(d);
		milestones = milestones | M_RESYNCED
	}
}

/* ---------------------------------------------- Cluster Manager (M2, M3) */

inline cm_lease_expire() {
	d_step {
		cm_lease != NONE &&
		!(HAS(mu_up, cm_lease) && CRD_OK(MU_SERVER(cm_lease))) ->
		remember();
		cm_role = cm_role & ~BIT(cm_lease);
		cm_lease = NONE
	}
}

/* some MU below m is up and reaches the CRD */
#define LOWER_MU_WITH_CRD(m) ( \
	((mu_up & (BIT(m) - 1) & MUS_ON(0)) != 0 && CRD_OK(0)) || \
	((mu_up & (BIT(m) - 1) & MUS_ON(1)) != 0 && CRD_OK(1)))

#if BUG == TWO_CLUSTER_MANAGERS
/* judged by what the heartbeat shows: no CM visible from m's server */
inline cm_takeover(m) {
	d_step {
		(m) < N_MU && HAS(mu_up, m) && !HAS(cm_role, m) &&
		(cm_role & MUS_SEEN(MU_SERVER(m))) == 0 ->
		remember();
		cm_role = cm_role | BIT(m);
		cm_lease = m
	}
}
#else
inline cm_takeover(m) {
	d_step {
		(m) < N_MU && HAS(mu_up, m) && !HAS(cm_role, m) && cm_lease == NONE &&
		!LOWER_MU_WITH_CRD(m) && CRD_OK(MU_SERVER(m)) ->
		remember();
		crd_read(MU_SERVER(m));
		crd_write(MU_SERVER(m));
		cm_role = cm_role | BIT(m);
		cm_lease = m
	}
}
#endif

#define NEW_VIEW_CRD ((mirror_failed | mirror_stale) != 0)

/* one heartbeat round, only when it changes the view */
inline cm_observe() {
	d_step {
		CM_ALIVE &&
		(view_mu != MUS_SEEN(CM_SERVER) || view_su != SUS_SEEN(CM_SERVER) ||
		 view_isl != isl_up || view_crd_degraded != NEW_VIEW_CRD) ->
		remember();
		view_mu = MUS_SEEN(CM_SERVER);
		view_su = SUS_SEEN(CM_SERVER);
		view_isl = isl_up;
		view_crd_degraded = NEW_VIEW_CRD
	}
}

/* ------------------------------------------------ Live Migration (WP 4.4) */

/* definitions held by SU u */
#define DEFS_ON(u) ( \
	(N_VM > 0 && owner[0] == (u)) + (N_VM > 1 && owner[1 % N_VM] == (u)))
/* VM x (not v) owned by u has the fixed index i */
#define FIXED_AT(x, v, u, i) \
	((x) < N_VM && (x) != (v) && owner[(x) % N_VM] == (u) && VM_INDEX(x) == (i))
#define INDEX_USED(v, u, i) (FIXED_AT(0, v, u, i) || FIXED_AT(1, v, u, i))
#define FIXED_ON(v, u) ( \
	(0 < N_VM && 0 != (v) && owner[0] == (u) && VM_INDEX(0) > 0) + \
	(1 < N_VM && 1 != (v) && owner[1 % N_VM] == (u) && VM_INDEX(1) > 0))
/* another LM from SU u is under way (P16) */
#define LM_FROM(v, u) ( \
	(0 != (v) && ACTIVE(0) && source[0] == (u)) || \
	(1 < N_VM && 1 != (v) && ACTIVE(1 % N_VM) && source[1 % N_VM] == (u)))

/* The prerequisites of an LM of v from its owner to the partner t that can
 * change at run time. P7 for *ANY assumes the fixed indexes on one SU are
 * different, which P7 itself keeps. */
#define REJECTED(v, t) ( \
	!SU_REACHABLE(owner[v], t) ||                                  /* P1 */ \
	free_memory[t] < VM_MEM(v) ||                                  /* P5 */ \
	(VM_INDEX(v) > 0 && (VM_INDEX(v) > MAX_INDEX(t) ||                      \
	                     INDEX_USED(v, t, VM_INDEX(v)))) ||        /* P7 */ \
	(VM_INDEX(v) == 0 && FIXED_ON(v, t) >= MAX_INDEX(t)) ||        /* P7 */ \
	DEFS_ON(t) >= MAX_DEFS(t) ||                                   /* P8 */ \
	vstate[v] == WAIT ||                                           /* P13 */ \
	(HAS(NATIVE_SUS, t) && DEFS_ON(t) > 0) ||                      /* P14 */ \
	(BUG != SECOND_LM_SAME_SOURCE && LM_FROM(v, owner[v])))        /* P16 */

/* /MIGRATE-VM: rejected with $AF (A1), or accepted with $S */
inline lm_request(v) {
	d_step {
		(v) < N_VM && requests_left > 0 && !ACTIVE(v) && HAS(MIGRATE, v) &&
		CLUSTERED(owner[v]) && HAS(su_up, owner[v]) && vstate[v] != DEFINED_ONLY ->
		remember();
		requests_left--;
		source[v] = owner[v];
		target[v] = PARTNER(owner[v]);
		round[v] = 0;
		dirty[v] = 0;
		detached[v] = 0;
		cause[v] = C_NONE;
		abort_phase[v] = IDLE;
		snap_state[v] = vstate[v];
		snap_attached[v] = attached[v];
		if
		:: REJECTED(v, target[v]) -> jv[v] = JV_AF; phase[v] = DONE
		:: else -> jv[v] = JV_S; phase[v] = ACCEPTED
		fi
	}
}

/* setup: detach tapes, emulated local disks and (/390) PAV aliases */
inline lm_start(v) {
	d_step {
		(v) < N_VM && phase[v] == ACCEPTED && TARGET_REACHABLE(v) ->
		remember();
		detached[v] = attached[v] &
			(VM_TAPE_ELD(v) | (HAS(X86_SUS, source[v]) -> 0 : VM_PAV(v)));
		attached[v] = attached[v] & ~detached[v];
		guest_jv[v] = G_MIGR_OUT;
		writes_left[v] = (vstate[v] == RUNNING -> GUEST_WRITES : 0);
		jv[v] = JV_R;
		phase[v] = SETUP
	}
}

/* create the VM on the target: memory and devices */
inline reserve_target(v) {
	d_step {
		(v) < N_VM && phase[v] == SETUP && TARGET_REACHABLE(v) ->
		remember();
		if
		:: free_memory[target[v]] < VM_MEM(v) ->
			roll_back(v, C_RESOURCES)
		:: else ->
			free_memory[target[v]] = free_memory[target[v]] - VM_MEM(v);
			resident[v] = resident[v] | BIT(target[v]);
			target_devices[v] = VM_DEVS(v) &
				~(VM_TAPE_ELD(v) | (HAS(X86_SUS, source[v]) -> 0 : VM_PAV(v)));
			dirty[v] = ALL_PAGES;   /* the first round sends every page */
			phase[v] = MEMCOPY
		fi
	}
}

/* fault: the target cannot assign the VM's resources */
inline reserve_fails(v) {
	d_step {
		(v) < N_VM && phase[v] == SETUP && TARGET_REACHABLE(v) &&
		CAN_FAULT(F_ALLOC) ->
		remember();
		faults_left--;
		roll_back(v, C_RESOURCES)
	}
}

inline copy_round(v) {
	d_step {
		(v) < N_VM && phase[v] == MEMCOPY && dirty[v] != 0 &&
		TARGET_REACHABLE(v) && round[v] < MAX_ROUNDS ->
		remember();
		copy_pages(v, dirty[v]);
		dirty[v] = 0;
		round[v]++
	}
}

/* the guest writes page p while it runs on the source */
inline guest_write(v, p) {
	d_step {
		(v) < N_VM && (p) < N_PAGES &&
		phase[v] >= SETUP && phase[v] <= FINAL_COPIED &&
		writes_left[v] > 0 && HAS(exec[v], source[v]) ->
		remember();
		memory[(v) * N_PAGES + (p)]++;
		writes_left[v]--;
		if
		:: phase[v] >= MEMCOPY -> dirty[v] = dirty[v] | BIT(p)
		:: else -> skip
		fi
	}
}

/* converged, or an SU x86 gives up waiting after the last round */
inline stop_io(v) {
	d_step {
		(v) < N_VM && phase[v] == MEMCOPY && round[v] >= 1 &&
		(dirty[v] == 0 || (HAS(X86_SUS, source[v]) && round[v] >= MAX_ROUNDS)) ->
		remember();
		phase[v] = IO_STOPPED
	}
}

inline final_copy(v) {
	d_step {
		(v) < N_VM && phase[v] == IO_STOPPED && TARGET_REACHABLE(v) ->
		remember();
#if BUG != SKIP_FINAL_COPY
		copy_pages(v, dirty[v]);
#endif
		dirty[v] = 0;
		phase[v] = FINAL_COPIED
	}
}

inline suspend(v) {
	d_step {
		(v) < N_VM && phase[v] == FINAL_COPIED && BUG != RESUME_BEFORE_SUSPEND ->
		remember();
		exec[v] = exec[v] & ~BIT(source[v]);
		phase[v] = SUSPENDED
	}
}

/* the rest of the pages and the registers */
inline hand_over(v) {
	d_step {
		(v) < N_VM && TARGET_REACHABLE(v) && (phase[v] == SUSPENDED ||
		(BUG == RESUME_BEFORE_SUSPEND && phase[v] == FINAL_COPIED)) ->
		remember();
		copy_pages(v, dirty[v]);
		dirty[v] = 0;
		phase[v] = HANDED_OVER
	}
}

/* the commit point: the target writes the new owner to the CRD and the
 * guest (if RUNNING) executes there (CH-4) */
inline resume(v) {
	d_step {
		(v) < N_VM && phase[v] == HANDED_OVER && HAS(su_up, target[v]) &&
		SU_REACHES_CRD(target[v]) ->
		remember();
		crd_write(SU_SERVER(target[v]));
#if BUG != MOVE_DEFINITION_LATE
		owner[v] = target[v];
#endif
		if
		:: vstate[v] == RUNNING -> exec[v] = exec[v] | BIT(target[v])
		:: else -> skip
		fi;
#if BUG == STATE_FROM_DEFINITION
		vstate[v] = INIT_ONLY;
#endif
		phase[v] = COMMITTED
	}
}

/* fault: the resume fails and the target tells the source */
inline resume_fails(v) {
	d_step {
		(v) < N_VM && phase[v] == HANDED_OVER && HAS(su_up, target[v]) &&
		TARGET_REACHABLE(v) && CAN_FAULT(F_RESUME) ->
		remember();
		faults_left--;
		roll_back(v, C_RESUME_FAILED)
	}
}

/* a live source cut off from the target learns of the commit from the CRD */
#define SOURCE_CUT_OFF(v) (HAS(su_up, source[v]) && !TARGET_REACHABLE(v))

inline cleanup(v) {
	d_step {
		(v) < N_VM && phase[v] == COMMITTED &&
		(!SOURCE_CUT_OFF(v) || SU_REACHES_CRD(source[v])) &&
		(BUG != MOVE_DEFINITION_LATE || SU_REACHES_CRD(target[v])) ->
		remember();
		if
		:: SOURCE_CUT_OFF(v) -> crd_read(SU_SERVER(source[v]))
		:: else -> skip
		fi;
#if BUG == MOVE_DEFINITION_LATE
		crd_write(SU_SERVER(target[v]));
		owner[v] = target[v];
#endif
		if
		:: HAS(resident[v], source[v]) ->
			resident[v] = resident[v] & ~BIT(source[v]);
			free_memory[source[v]] = free_memory[source[v]] + VM_MEM(v)
		:: else -> skip
		fi;
		/* PAV aliases come back; tapes and emulated disks stay detached */
		attached[v] = attached[v] | (detached[v] & VM_PAV(v));
		target_devices[v] = 0;
		clear_copy(v);
		writes_left[v] = 0;
		guest_jv[v] = G_TERMINATED;
		migrations[v]++;
		round[v] = 0;
		jv[v] = ((detached[v] & ~VM_PAV(v)) != 0 -> JV_TW : JV_T);
		phase[v] = DONE
	}
}

/* The source lost the target. Up to the suspend it rolls back at once;
 * after the hand-over it is in doubt and must first read on the CRD that it
 * still owns the definition, and write its abort there. */
inline abort_lm(v) {
	d_step {
		(v) < N_VM && HAS(su_up, source[v]) && !TARGET_REACHABLE(v) &&
		((phase[v] >= ACCEPTED && phase[v] <= SUSPENDED) ||
#if BUG == SOURCE_RESUME_ON_TIMEOUT
		 phase[v] == HANDED_OVER || phase[v] == COMMITTED) ->
		remember();
#else
		 (phase[v] == HANDED_OVER && SU_REACHES_CRD(source[v]) &&
		  owner[v] == source[v])) ->
		remember();
		if
		:: phase[v] == HANDED_OVER ->
			crd_read(SU_SERVER(source[v]));
			crd_write(SU_SERVER(source[v]))
		:: else -> skip
		fi;
#endif
		if
		:: HAS(su_up, target[v]) -> roll_back(v, C_NETWORK)
		:: else -> roll_back(v, C_TARGET_LOST)
		fi
	}
}

/* SU /390: still dirty after the last round (VMS2425) */
inline abort_nonconvergence(v) {
	d_step {
		(v) < N_VM && phase[v] == MEMCOPY && dirty[v] != 0 &&
		round[v] >= MAX_ROUNDS && !HAS(X86_SUS, source[v]) ->
		remember();
		roll_back(v, C_NONCONVERGENCE)
	}
}

/* ------------------------------- VM definitions (D2, D3; only with
 * DEFINITION_COMMANDS) */

/* the monitor of SU u wrote no liveness record to the CRD in time */
inline liveness_timeout(u) {
	d_step {
		DEFINITION_COMMANDS && (u) < N_SU && !HAS(liveness_expired, u) &&
		!SU_REACHES_CRD(u) ->
		remember();
		liveness_expired = liveness_expired | BIT(u)
	}
}

inline liveness_renew(u) {
	d_step {
		DEFINITION_COMMANDS && (u) < N_SU && HAS(liveness_expired, u) &&
		SU_REACHES_CRD(u) ->
		remember();
		liveness_expired = liveness_expired & ~BIT(u)
	}
}

/* /MIGRATE-VM-DEFINITION of a DEFINED_ONLY VM to the partner (VMS2320); for
 * an initialised VM it is rejected (VMS4015), which changes nothing */
inline migrate_definition(v) {
	d_step {
		DEFINITION_COMMANDS && (v) < N_VM && CLUSTERED(owner[v]) && !ACTIVE(v) &&
		vstate[v] == DEFINED_ONLY && HAS(su_up, PARTNER(owner[v])) &&
		DEFS_ON(PARTNER(owner[v])) < MAX_DEFS(PARTNER(owner[v])) &&
		SU_REACHES_CRD(owner[v]) ->
		remember();
		crd_write(SU_SERVER(owner[v]));
		owner[v] = PARTNER(owner[v])
	}
}

/* /RECOVER-VM-DEFINITION on the partner (SU /390) of an owner whose
 * liveness record timed out; the operator may have to check that the owner
 * is really down */
inline recover_definition(v) {
	d_step {
		DEFINITION_COMMANDS && (v) < N_VM && CLUSTERED(owner[v]) &&
		!HAS(X86_SUS, PARTNER(owner[v])) && !ACTIVE(v) &&
		HAS(liveness_expired, owner[v]) &&
		(!OPERATOR_VERIFIES_REMOTE_DOWN || !HAS(su_up, owner[v])) &&
		DEFS_ON(PARTNER(owner[v])) < MAX_DEFS(PARTNER(owner[v])) &&
		SU_REACHES_CRD(PARTNER(owner[v])) ->
		remember();
		crd_read(SU_SERVER(PARTNER(owner[v])));
		crd_write(SU_SERVER(PARTNER(owner[v])));
		owner[v] = PARTNER(owner[v]);
		vstate[v] = DEFINED_ONLY;
		milestones = milestones | M_RECOVERED
	}
}

/* /ACTIVATE-VM-DEFINITION: reserve the memory on the owner */
inline activate_vm(v) {
	d_step {
		DEFINITION_COMMANDS && (v) < N_VM && vstate[v] == DEFINED_ONLY &&
		HAS(su_up, owner[v]) && !HAS(resident[v], owner[v]) &&
		free_memory[owner[v]] >= VM_MEM(v) ->
		remember();
		free_memory[owner[v]] = free_memory[owner[v]] - VM_MEM(v);
		resident[v] = resident[v] | BIT(owner[v]);
		vstate[v] = INIT_ONLY
	}
}

/* /START-VM */
inline start_vm(v) {
	d_step {
		DEFINITION_COMMANDS && (v) < N_VM && vstate[v] == INIT_ONLY &&
		HAS(su_up, owner[v]) && !ACTIVE(v) ->
		remember();
		vstate[v] = RUNNING;
		exec[v] = exec[v] | BIT(owner[v])
	}
}

/* ----------------------------------------------------------- The process */

/* the options of VM v (a macro: an inline cannot hold several options) */
#if N_PAGES > 2
#define WRITES_2_3(v) :: guest_write(v, 2) :: guest_write(v, 3)
#else
#define WRITES_2_3(v)
#endif
#if DEFINITION_COMMANDS
#define DEFINITION_STEPS(v) \
	:: migrate_definition(v) \
	:: recover_definition(v) \
	:: activate_vm(v) \
	:: start_vm(v)
#else
#define DEFINITION_STEPS(v)
#endif
#define VM_STEPS(v) \
	   lm_request(v) \
	:: lm_start(v) \
	:: reserve_target(v) \
	:: reserve_fails(v) \
	:: copy_round(v) \
	:: guest_write(v, 0) \
	:: guest_write(v, 1) \
	WRITES_2_3(v) \
	:: stop_io(v) \
	:: final_copy(v) \
	:: suspend(v) \
	:: hand_over(v) \
	:: resume(v) \
	:: resume_fails(v) \
	:: cleanup(v) \
	:: abort_lm(v) \
	:: abort_nonconvergence(v) \
	DEFINITION_STEPS(v)

/* Options for units beyond a preset's sizes are left out (they would be
 * disabled by their guards anyway, but cost compile time). */
active proctype cluster()
{
	do
	:: atomic {
	if
	:: mu_crash(0)
	:: mu_restart(0)
	:: cm_takeover(0)
#if N_MU > 1
	:: mu_crash(1)
	:: mu_restart(1)
	:: cm_takeover(1)
#endif
#if N_MU > 2
	:: mu_crash(2)
	:: mu_restart(2)
	:: cm_takeover(2)
#endif
#if N_MU > 3
	:: mu_crash(3)
	:: mu_restart(3)
	:: cm_takeover(3)
#endif
	:: su_crash(0)
	:: su_restart(0)
#if N_SU > 1
	:: su_crash(1)
	:: su_restart(1)
#endif
#if DEFINITION_COMMANDS
	:: liveness_timeout(0)
	:: liveness_renew(0)
	:: liveness_timeout(1)
	:: liveness_renew(1)
#endif
#if N_SU > 2
	:: su_crash(2)
	:: su_restart(2)
#endif
#if N_SU > 3
	:: su_crash(3)
	:: su_restart(3)
#endif
#if N_ISL > 0
	:: isl_down(0)
	:: isl_repair(0)
#endif
#if N_ISL > 1
	:: isl_down(1)
	:: isl_repair(1)
#endif
	:: disk_fail(0)
	:: disk_repair(0)
	:: disk_resync(0)
#if N_MIRROR > 1
	:: disk_fail(1)
	:: disk_repair(1)
	:: disk_resync(1)
#endif
#if N_MIRROR > 2
	:: disk_fail(2)
	:: disk_repair(2)
	:: disk_resync(2)
#endif
#if N_MIRROR > 3
	:: disk_fail(3)
	:: disk_repair(3)
	:: disk_resync(3)
#endif
#if N_MIRROR > 4
	:: disk_fail(4)
	:: disk_repair(4)
	:: disk_resync(4)
#endif
#if N_MIRROR > 5
	:: disk_fail(5)
	:: disk_repair(5)
	:: disk_resync(5)
#endif
	:: cm_lease_expire()
	:: cm_observe()
	:: VM_STEPS(0)
#if N_VM > 1
	:: VM_STEPS(1)
#endif
#if N_VM > 2
	:: VM_STEPS(2)
#endif
	fi;
	d_step { finish() }
	}
	od
}
