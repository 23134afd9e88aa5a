package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/cur"
	"github.com/cwlens/cwlens/reconcile"
	"github.com/cwlens/cwlens/report"
	"github.com/spf13/cobra"
)

// reconcileFlags are reconcile's own flags.
type reconcileFlags struct {
	cur   []string
	month string
}

func newReconcileCmd(stdout io.Writer) *cobra.Command {
	var f reportFlags
	var rf reconcileFlags
	cmd := &cobra.Command{
		Use:   "reconcile SNAPSHOT [--cur FILE...] [--month YYYY-MM]",
		Short: "Set a billed month beside cwlens's model of it, per usage type",
		Long: `reconcile sets a complete billed month beside what cwlens's model of the
snapshot (its usage at the price book's list prices) says it should cost, per
usage type of Amazon Elastic Container Service and AmazonCloudWatch and in
total, each difference explained (free tier, Savings Plan or discount,
task-hours, a usage type cwlens does not model) or marked unexplained.

The bill is the snapshot's (cwlens scan --bill, from Cost Explorer), or with
--cur the AWS Cost and Usage Report 2.0 files of a Data Exports export, for
accounts that export the bill to S3 instead of granting Cost Explorer:
Parquet, or gzip-compressed CSV, as many files as the export has (a month
is split over several parts; files after SNAPSHOT belong to --cur, so a
shell pattern works; a directory stands for the .parquet and .csv.gz files
under it). Only the snapshot's account's lines are kept (a
management account's export holds every member's), tax is left out as Cost
Explorer shows it as a service of its own, and covered usage counts at its
Savings Plan effective cost in the net amortized column. Copy the files from
S3 first (aws s3 cp --recursive s3://BUCKET/PREFIX/ cur/, then --cur cur/).

--month picks the month (default: the last month that has ended of those
the bill holds). A file that is not an export, lacks its columns or is
damaged is refused with its name and what is wrong, exit status 2.`,
		Example: `  cwlens reconcile snapshot.json
  cwlens reconcile snapshot.json --cur cur-00001.snappy.parquet cur-00002.snappy.parquet
  cwlens reconcile snapshot.json --cur data/BILLING_PERIOD=2025-10/*.parquet --month 2025-10 --format markdown
  cwlens reconcile snapshot.json --cur export-00001.csv.gz --format json --out reconciliation.json`,
		Args: func(_ *cobra.Command, args []string) error {
			switch {
			case len(args) == 0:
				return usagef("missing SNAPSHOT")
			case len(args) > 1 && len(rf.cur) == 0:
				return usagef("unexpected argument %q (CUR files follow --cur)", args[1])
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
			rf.cur = append(rf.cur, args[1:]...)
			return runReconcile(stdout, &f, &rf, args[0], time.Now())
		},
	}
	f.registerOutput(cmd)
	fs := cmd.Flags()
	fs.StringArrayVar(&rf.cur, "cur", nil, "read the bill from the Cost and Usage Report 2.0 `FILE`s (Parquet or .csv.gz; a directory stands for those under it) instead of the snapshot's")
	fs.StringVar(&rf.month, "month", "", "reconcile the billed `MONTH` YYYY-MM (default: the last one that has ended)")
	return cmd
}

// runReconcile writes the reconciliation of snapPath's model with its bill
// or the CUR files' as of now (which months have ended).
func runReconcile(stdout io.Writer, f *reportFlags, rf *reconcileFlags, snapPath string, now time.Time) error {
	o, err := f.parse()
	if err != nil {
		return err
	}
	var month time.Time
	if rf.month != "" {
		if month, err = time.Parse("2006-01", rf.month); err != nil {
			return usagef("--month %q: want a month as YYYY-MM (2025-10)", rf.month)
		}
	}
	o.inputs = append([]string{snapPath, f.prices}, rf.cur...)
	if err := checkOut(o.out, o.inputs...); err != nil {
		return err
	}
	snap, err := cwlens.ReadSnapshot(snapPath)
	if err != nil {
		return err
	}
	if len(rf.cur) > 0 {
		snap.Bill, err = curBill(rf.cur, snap.AccountID, month, now)
	} else {
		snap.Bill, err = snapshotBillMonth(snapPath, snap.Bill, month)
	}
	if err != nil {
		return err
	}
	rec, err := reconcile.Month(snap, o.book)
	if errors.Is(err, reconcile.ErrNoMonth) {
		return cwlens.Inputf(snapPath, "bill", "", "no complete billed month: scan with --bill (Cost Explorer), or give the bill's Cost and Usage Report files with --cur")
	} else if err != nil {
		return err
	}
	r := report.New(snap, snap.Window.End, nil, nil)
	r.Reconciliation = rec
	return writeOutput(stdout, o.out, func(w io.Writer) error {
		color := o.format == report.FormatTable && useColor(w)
		return report.Write(w, r, o.format, report.Options{Color: color, Sections: report.SectionReconciliation,
			Width: tableWidth(o.width, w, w == stdout)})
	}, o.inputs...)
}

// snapshotBillMonth returns bill with only month in it when one is asked
// for.
func snapshotBillMonth(path string, bill *cwlens.Bill, month time.Time) (*cwlens.Bill, error) {
	if month.IsZero() || bill == nil {
		return bill, nil
	}
	for _, m := range bill.Months {
		if m.Start.Equal(month) && m.Complete {
			b := *bill
			b.Months = []cwlens.BillMonth{m}
			return &b, nil
		}
	}
	return nil, cwlens.Inputf(path, "bill", month.Format("2006-01"), "no complete billed month %s in the snapshot", month.Format("2006-01"))
}

// curBill reads the CUR files and returns the bill of month (or of the last
// month that has ended by now) for account.
func curBill(files []string, account string, month, now time.Time) (*cwlens.Bill, error) {
	files, err := expandDirs(files)
	if err != nil {
		return nil, err
	}
	b := cur.New(cur.Options{Account: account})
	for _, p := range files {
		if err := b.ReadFile(p); err != nil {
			return nil, err
		}
	}
	names := strings.Join(files, " ")
	months := b.Months()
	if len(months) == 0 {
		msg := "no line of AmazonECS or AmazonCloudWatch"
		if others := b.OtherAccounts(); len(others) > 0 {
			msg += fmt.Sprintf(" for account %s (the files hold account(s) %s): an export of another account", account, strings.Join(others, ", "))
		}
		return nil, cwlens.Inputf(names, "", "", "%s", msg)
	}
	open := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	if month.IsZero() {
		for _, m := range months {
			if m.Before(open) {
				month = m
			}
		}
		if month.IsZero() {
			return nil, cwlens.Inputf(names, "", "", "no month that has ended: the files hold %s only", monthList(months))
		}
	}
	if !slices.ContainsFunc(months, month.Equal) {
		return nil, usagef("--month %s: the files hold %s", month.Format("2006-01"), monthList(months))
	}
	if !month.Before(open) {
		return nil, usagef("--month %s has not ended: its bill is not complete", month.Format("2006-01"))
	}
	m, _ := b.Month(month, true)
	return &cwlens.Bill{ReadAt: now.UTC().Truncate(time.Second), Currency: b.Currency(), Months: []cwlens.BillMonth{m}}, nil
}

// expandDirs replaces each directory among paths by the export files
// under it (*.parquet, *.csv.gz, in name order), so that the tree
// "aws s3 cp --recursive" copies from an export can be given whole; the
// export's manifests beside them are left out.
func expandDirs(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil || !fi.IsDir() {
			out = append(out, p) // the reader names what is wrong
			continue
		}
		n := len(out)
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (strings.HasSuffix(path, ".parquet") || strings.HasSuffix(path, ".csv.gz")) {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, cwlens.Inputf(p, "", "", "%w", err)
		}
		if len(out) == n {
			return nil, cwlens.Inputf(p, "", "", "a directory without a .parquet or .csv.gz file")
		}
	}
	return out, nil
}

func monthList(months []time.Time) string {
	s := make([]string, len(months))
	for i, m := range months {
		s[i] = m.Format("2006-01")
	}
	return strings.Join(s, ", ")
}
