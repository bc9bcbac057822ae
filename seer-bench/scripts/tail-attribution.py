#!/usr/bin/env python3
"""Attributes an OnlineBench run's slow requests (issue 12).

Usage: tail-attribution.py DIR/RUN [...]  for runs made with
  BENCH_JAVA_OPTS="-Xlog:gc*,safepoint:file=DIR/RUN-gc.log:uptime,time -Dslow.log=DIR/RUN-slow"
For each measured window: the requests over 5 ms, how many of them waited through a late
wake-up ("hiccup") of the load generator's own idle thread (the machine did not run it: the
generator has no collector), and how many through a server safepoint of 1 ms or more.
"""
import sys,re,datetime
def safepoints(gclog):
    ev=[]
    for l in open(gclog):
        m=re.match(r'\[(\S+)\]\[[^\]]*\] Safepoint "([^"]+)".*Total: (\d+) ns',l)
        if m:
            t=datetime.datetime.strptime(m.group(1)[:23],'%Y-%m-%dT%H:%M:%S.%f').replace(tzinfo=datetime.timezone.utc).timestamp()*1000
            d=int(m.group(3))/1e6
            if d>=1: ev.append((t-d,t,m.group(2)))
    return ev
for run in sys.argv[1:]:
    sp=safepoints(f'{run}-gc.log')
    for i in range(1,5):
        f=f'{run}-slow-{i}.txt'
        rows=[tuple(map(float,l.split())) for l in open(f)]
        slow=[(a,b) for a,b,c in rows if c>=0]
        hic=[(a,b) for a,b,c in rows if c<0]   # due time of wake-up, lateness
        def overlaps(a,b,ivs):
            return any(x<=a+b and y>=a for x,y in ivs)
        hiv=[(a,a+b) for a,b in hic]
        spv=[(x,y) for x,y,_ in sp]
        nh=sum(1 for a,b in slow if overlaps(a,b,hiv))
        ns=sum(1 for a,b in slow if overlaps(a,b,spv))
        print(f'{run} window {i}: slow {len(slow)}, overlapping a load-generator hiccup {nh} ({100*nh/max(1,len(slow)):.0f}%), a server safepoint >=1ms {ns}; hiccups {len(hic)}')
