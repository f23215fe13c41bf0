#!/usr/bin/env perl
# csv_records.pl FILE: copy a CSV file to stdout, record by record, leaving
# out the records that are not well-formed RFC 4180 (text after a closing
# quote, a bare quote) or that have more or fewer fields than the header,
# with a line on stderr for each (FILE:LINE where the record starts).
#
# The sqlite3 shell's .import cannot be trusted with either: after a
# malformed quote it reads on to the next quote, swallowing the records in
# between, and it pads a short record and cuts a long one with only a
# warning. verify_sqlite.sh pipes every feed file through this
# (`.import --csv '|perl csv_records.pl FILE'`). A record ends at a line
# end outside quotes, so the quote count of a complete record is even.
use strict;
use warnings;

my $file = shift or die "usage: csv_records.pl FILE\n";
open(my $in, '<:raw', $file) or die "$file: $!\n";
binmode(STDOUT, ':raw');

my $field = qr/(?:"(?:[^"]|"")*"|[^",\r\n]*)/s;
my ($rec, $start, $n, $want) = ('', 0, 0, undef);

sub fields {
    my ($r) = @_;
    my $count = 0;
    pos($r) = 0;
    while (1) {
        return -1 unless $r =~ /\G$field/gc;
        $count++;
        return $count if pos($r) == length($r);
        return -1 unless $r =~ /\G,/gc;
    }
}

sub record {
    my ($r, $line) = @_;
    (my $body = $r) =~ s/\r?\n\z//;
    # without quotes a record is well-formed and its commas count it
    my $count =
      index($body, '"') < 0 ? ($body =~ tr/,//) + 1 : fields($body);
    if (!defined $want) {
        $want = $count;
    } elsif ($count != $want) {
        print STDERR "$file:$line: ",
            ($count < 0 ? "not well-formed CSV" : "$count fields, not $want"),
            ": left out\n";
        return;
    }
    print $r;
}

while (my $line = <$in>) {
    $n++;
    $start = $n if $rec eq '';
    $rec .= $line;
    next if ($rec =~ tr/"//) % 2;
    record($rec, $start);
    $rec = '';
}
record($rec, $start) if $rec ne '';
