// gort's instrumentation of Go 1.5.1's runtime, copied into src/runtime by anchors/go15/build.sh
// beside the hooks of anchors/go15/runtime.patch. It owns three things:
//
//   - the choice of how the GC coordinator learns that a mark phase is done (GCWAKEUP):
//     "note" as before golang/go CL 9291 (the coordinator sleeps on a note with notetsleepg and
//     the completer wakes the note; nothing is readied into a run queue and nobody yields),
//     "park" as after CL 9291 (gopark/ready; an assist that completes keeps its P), and
//     "park-yield" as after CL 12670 (an assist that completes calls Gosched), the default,
//     which is Go 1.5.1 as released;
//   - whether an assist that could not pay its debt sleeps 100 µs and retries (GCASSISTBLOCK;
//     "0" turns it off, as the assists of CL 9291's and CL 12670's time never blocked);
//   - the wakeup measurement: for each phase, when the completer won the CAS on the phase's done
//     flag and what kind of completer it was; with GODEBUG=gctrace=1 the coordinator prints, when
//     it runs again, one line "gcwakeup phase=P by=K delay_ns=N" (K: 1 a background mark worker,
//     2 an assist, 3 the scheduler's own check in findRunnableGCWorker). gort prints the same line
//     with the same codes, and gort fidelity reads both with one parser.
//
// Invariants: a phase's record is written only by the goroutine that won the phase's CAS, before
// it signals the coordinator, and read only by the coordinator after its wait returns; the mode
// and the assist setting are fixed in gcinit, before any goroutine runs.

package runtime

// The wakeup protocols, in GCWAKEUP's spelling: note, park, park-yield.
const (
	gcWakeupNote = iota
	gcWakeupPark
	gcWakeupParkYield
)

// The completer kinds of the gcwakeup line's by= field.
const (
	gcCompleterWorker    = 1
	gcCompleterAssist    = 2
	gcCompleterScheduler = 3
)

// gcWakeupMode is the protocol GCWAKEUP chose; an unset or unknown value is Go 1.5.1's own.
var gcWakeupMode = gcWakeupParkYield

// gcAssistBlocks is false when GCASSISTBLOCK=0: an assist short of credit returns at once.
var gcAssistBlocks = true

// gcWakeupRecord is one phase's completion: the note of the "note" protocol, the time of the
// winning CAS (nanotime) and the kind of its winner.
type gcWakeupRecord struct {
	note   note
	doneAt int64
	by     uint32
}

// gcWakeupRecords holds mark 1's record and mark 2's, in that order.
var gcWakeupRecords [2]gcWakeupRecord

// gcWakeupInit reads GCWAKEUP and GCASSISTBLOCK; gcinit calls it.
func gcWakeupInit() {
	switch gogetenv("GCWAKEUP") {
	case "note":
		gcWakeupMode = gcWakeupNote
	case "park":
		gcWakeupMode = gcWakeupPark
	default:
		gcWakeupMode = gcWakeupParkYield
	}
	gcAssistBlocks = gogetenv("GCASSISTBLOCK") != "0"
}

// phase is 1 for work.bgMark1 and 2 for work.bgMark2.
func (s *bgMarkSignal) phase() int {
	if s == &work.bgMark2 {
		return 2
	}
	return 1
}

func (s *bgMarkSignal) record() *gcWakeupRecord {
	return &gcWakeupRecords[s.phase()-1]
}

// won records the completion just won by a completer of the given kind. Under the note protocol
// it also wakes the note and reports true: the caller then readies nobody.
func (s *bgMarkSignal) won(by uint32) (viaNote bool) {
	r := s.record()
	r.doneAt = nanotime()
	r.by = by
	if gcWakeupMode != gcWakeupNote {
		return false
	}
	notewakeup(&r.note)
	return true
}

// waitNote is the note protocol's wait: it reports false, doing nothing, under the others.
func (s *bgMarkSignal) waitNote() bool {
	if gcWakeupMode != gcWakeupNote {
		return false
	}
	notetsleepg(&s.record().note, -1)
	return true
}

// resumed prints the gcwakeup line of the wait that just returned (with gctrace).
func (s *bgMarkSignal) resumed() {
	if debug.gctrace > 0 {
		r := s.record()
		print("gcwakeup phase=", s.phase(), " by=", r.by, " delay_ns=", nanotime()-r.doneAt, "\n")
	}
}

// clearNote readies the phase's note for the next cycle.
func (s *bgMarkSignal) clearNote() {
	noteclear(&s.record().note)
}
