"""Search for connected regions of least weight: the pricing step of :mod:`.regions_partition`.

A *column* is a connected set of units (areas, or groups of areas that must stay together)
around a start unit whose population lies within the floor and ceiling. Its weight is the sum
of the units' weights, which the caller sets to attribute distance minus the dual price of
each area. :func:`connected_sets` walks every such set by the include/exclude scheme for
connected induced subgraphs (each set is reached once: the search branches on one candidate
unit next to the set, first taking it, then barring it) and prunes a branch by a lower bound
on the weight of anything it can still reach. The bound is what makes it fast:

For an extension T of the current set S, let r be the sum of T's positive weights. Every unit
of T is reached from S through T, so each lies within "path cost" r of S, where entering a unit
costs its weight if positive and nothing otherwise (Dijkstra over the units still allowed).
Hence T's negative weights are at least the sum of the negative weights within reach r, and r
itself is at least the cheapest fractional way (by weight per inhabitant) to fill the
population still missing from positive units within reach r. Minimising over the reach levels
gives the bound. It turns the search for one centre on the demo county from tens of millions
of sets into tens of thousands.

Which candidate to branch on decides how soon the bound bites. The one of largest weight either
way does: taking a heavy unit pays its weight at once, and barring it cuts the paths through it
or removes a prize, so both branches move the bound; a unit of weight near zero changes neither
and only doubles the tree. Branching on the lightest candidate instead, the searches of a 120-s
run for p = 6 on the demo county took 151 million steps (4 minutes of search), the longest
4.0 million for one centre; on the heaviest the same searches took 6.3 million (8 s).

The walk is compiled with numba; it releases the GIL, so centres are searched in threads.
:func:`improve_set` is the cheap counterpart: a steepest descent from one given set, adding or
dropping a unit at a time, which the column generation asks before the exact search.
"""

from __future__ import annotations

import numpy as np
from numba import njit

FREE, MEMBER, CANDIDATE, BARRED = 0, 1, 2, 3


@njit(cache=True, nogil=True)
def _bound(
    state, blocked, weight, pop, deficit, indptr, indices, limit, cut_indptr, cut_indices, rebate
):
    """Least weight any extension of the current set can add (see module docstring).

    Only whether it exceeds ``limit`` matters to the caller, so the walk stops at the first
    reach level below ``limit`` (returning that level's value) and as soon as no later level
    can come below it (returning a lower bound above ``limit``). ``rebate[k]`` is what the
    weights overstate the charge of cut k by if the extension holds none of its areas (see
    :func:`_charged_weights`); a level pays it once it reaches one of them, as only then can
    the extension hold one.
    """
    m = weight.shape[0]
    reached_cut = np.zeros(rebate.shape[0], dtype=np.bool_)
    rebated = 0.0  # rebates of the cuts reached so far (negative)
    every_rebate = -rebate.sum()  # the most any later level can pay
    dist = np.full(m, np.inf)
    done = np.zeros(m, dtype=np.bool_)
    unreached_negative = 0.0  # weights of the negative units not yet reached
    frontier = np.empty(m, dtype=np.int64)  # units with a finite distance, not yet done
    n_frontier = 0
    for u in range(m):
        free = state[u] == FREE or (state[u] == CANDIDATE and blocked[u] == 0)
        if free and weight[u] < 0.0:
            unreached_negative += weight[u]
        if state[u] == CANDIDATE and blocked[u] == 0:
            dist[u] = max(weight[u], 0.0)
            frontier[n_frontier] = u
            n_frontier += 1
    # positive units reached so far, kept sorted by weight per inhabitant
    ratio_units = np.empty(m, dtype=np.int64)
    n_ratio = 0
    neg_sum = 0.0
    neg_pop = 0.0
    best = 0.0 if deficit <= 0.0 else np.inf
    if best < limit - 1e-12:
        return best  # the set as it is already stays below the limit
    while True:
        if n_frontier == 0:
            break
        at = 0
        for k in range(1, n_frontier):
            if dist[frontier[k]] < dist[frontier[at]]:
                at = k
        u = frontier[at]
        du = dist[u]
        n_frontier -= 1
        frontier[at] = frontier[n_frontier]
        done[u] = True
        if neg_sum + unreached_negative + every_rebate + du > limit + 1e-12:
            return min(best, neg_sum + unreached_negative + every_rebate + du)
        if rebate.shape[0]:
            for e in range(cut_indptr[u], cut_indptr[u + 1]):
                k = cut_indices[e]
                if rebate[k] > 0.0 and not reached_cut[k]:
                    reached_cut[k] = True
                    rebated -= rebate[k]
        if weight[u] < 0.0:
            neg_sum += weight[u]
            unreached_negative -= weight[u]
            neg_pop += pop[u]
        elif pop[u] > 0.0:
            key = weight[u] / pop[u]
            pos = n_ratio
            while pos > 0 and weight[ratio_units[pos - 1]] / pop[ratio_units[pos - 1]] > key:
                ratio_units[pos] = ratio_units[pos - 1]
                pos -= 1
            ratio_units[pos] = u
            n_ratio += 1
        for e in range(indptr[u], indptr[u + 1]):
            v = indices[e]
            if done[v] or blocked[v] > 0 or state[v] == MEMBER or state[v] == BARRED:
                continue
            cand = du + max(weight[v], 0.0)
            if cand < dist[v]:
                if dist[v] == np.inf:
                    frontier[n_frontier] = v
                    n_frontier += 1
                dist[v] = cand
        if neg_sum + rebated + du >= best:
            continue  # this level cannot do better, whatever the fill
        missing = deficit - neg_pop
        fill = 0.0
        if missing > 0.0:
            for k in range(n_ratio):
                t = ratio_units[k]
                if pop[t] >= missing:
                    fill += weight[t] * missing / pop[t]
                    missing = 0.0
                    break
                fill += weight[t]
                missing -= pop[t]
            if missing > 0.0:
                fill = np.inf
        value = neg_sum + rebated + max(du, fill)
        if value < best:
            best = value
            if best < limit - 1e-12:
                return best
    return best


@njit(cache=True, nogil=True)
def _hold(unit, sign, held, cut_indptr, cut_indices, cut_penalty):
    """Count ``unit``'s areas into (sign 1) or out of (-1) the cuts; the change of charge."""
    change = 0.0
    if cut_penalty.shape[0] == 0:  # (then ``cut_indptr`` may be empty too)
        return change
    for e in range(cut_indptr[unit], cut_indptr[unit + 1]):
        k = cut_indices[e]
        if sign > 0:
            held[k] += 1
            if held[k] == 2:
                change += cut_penalty[k]
        else:
            if held[k] == 2:
                change -= cut_penalty[k]
            held[k] -= 1
    return change


@njit(cache=True, nogil=True)
def _charged_weights(
    state, blocked, weight, held, cut_indptr, cut_indices, cut_penalty, out, rebate
):
    """Unit weights plus a share of the cut charges any extension must pay, into ``out``.

    An extension adding a of the f areas of cut k still free pays s = ``cut_penalty[k]``
    once the set holds two. If it holds one, that charge is s [a >= 1] >= a s / f; if none,
    s [a >= 2] >= (a - 1) s / (f - 1). So adding s / f (or s / (f - 1)) to the weight of each
    free area of the cut, and subtracting s / (f - 1) for the cuts the set does not touch if
    the extension holds one of their areas (``rebate``, which :func:`_bound` pays once a
    level reaches the cut: with 150 cuts, paying them all at once cost the bound 5.7 where
    the extension held few), never overstates what an extension pays. A cut the set does not
    touch is left out (any share from 0 up is valid) unless two of its free areas lie in
    units that weigh less than nothing: only then can its share raise the bound by more than
    the rebate lowers it.
    """
    m = weight.shape[0]
    free = np.zeros(cut_penalty.shape[0], dtype=np.int64)
    negative = np.zeros(cut_penalty.shape[0], dtype=np.int64)
    for u in range(m):
        if (state[u] == FREE or state[u] == CANDIDATE) and blocked[u] == 0:
            for e in range(cut_indptr[u], cut_indptr[u + 1]):
                free[cut_indices[e]] += 1
                if weight[u] < 0.0:
                    negative[cut_indices[e]] += 1
    share = np.zeros(cut_penalty.shape[0])
    for k in range(cut_penalty.shape[0]):
        rebate[k] = 0.0
        if held[k] == 1 and free[k] > 0:
            share[k] = cut_penalty[k] / free[k]
        elif held[k] == 0 and negative[k] > 1:
            share[k] = cut_penalty[k] / (free[k] - 1)
            rebate[k] = share[k]
    for u in range(m):
        out[u] = weight[u]
        for e in range(cut_indptr[u], cut_indptr[u + 1]):
            out[u] += share[cut_indices[e]]


@njit(cache=True, nogil=True)
def _grow(buffer, needed):
    if needed <= buffer.shape[0]:
        return buffer
    bigger = np.empty(max(needed, 2 * buffer.shape[0]), dtype=buffer.dtype)
    bigger[: buffer.shape[0]] = buffer
    return bigger


@njit(cache=True, nogil=True)
def connected_sets(
    start,
    weight,
    pop,
    floor,
    ceiling,
    indptr,
    indices,
    conflict_indptr,
    conflict_indices,
    threshold,
    best_only,
    node_limit,
    set_limit,
    cut_indptr,
    cut_indices,
    cut_penalty,
):
    """Connected unit sets around ``start`` within the population bounds, by weight.

    With ``best_only`` the threshold falls to each set found, so the result is a sequence of
    ever lighter sets ending with the lightest one below ``threshold`` (if any). Otherwise
    every set of weight at most ``threshold`` is returned. Units listed as conflicting
    (cannot-link) never join a set together. The search stops after ``node_limit`` steps
    (negative: no limit) or after ``set_limit`` sets (negative: no limit). A set holding two
    or more areas of cut k (unit u holds ``cut_indices[cut_indptr[u]:cut_indptr[u + 1]]``,
    once per area) also weighs ``cut_penalty[k]``: the price of a subset-row cut.

    Returns ``(members, starts, weights, complete, steps)``: set k is
    ``members[starts[k]:starts[k + 1]]``; ``complete`` is False if the limit cut the search.
    """
    m = weight.shape[0]
    state = np.zeros(m, dtype=np.int8)
    blocked = np.zeros(m, dtype=np.int32)
    stack_unit = np.empty(m, dtype=np.int64)
    stack_phase = np.empty(m, dtype=np.int8)
    stack_added = np.empty(m + 1, dtype=np.int64)
    added = np.empty(m, dtype=np.int64)
    chosen = np.empty(m, dtype=np.int64)
    members = np.empty(64, dtype=np.int32)
    starts = np.zeros(16, dtype=np.int64)
    weights = np.empty(16, dtype=np.float64)
    n_sets = 0
    n_members = 0
    steps = 0
    complete = True
    tol = 1e-9 * max(1.0, abs(floor))
    held = np.zeros(cut_penalty.shape[0], dtype=np.int64)  # areas of each cut in the set
    charged = np.empty(m)  # weights plus the least charge per area (see _charged_weights)
    rebate = np.zeros(cut_penalty.shape[0])  # and what they overstate it by (ditto)

    state[start] = MEMBER
    value = weight[start] + _hold(start, 1, held, cut_indptr, cut_indices, cut_penalty)
    people = pop[start]
    for e in range(conflict_indptr[start], conflict_indptr[start + 1]):
        blocked[conflict_indices[e]] += 1
    for e in range(indptr[start], indptr[start + 1]):
        state[indices[e]] = CANDIDATE
    chosen[0] = start
    n_chosen = 1
    n_added = 0
    depth = 0
    descend = people <= ceiling + tol
    record = descend
    while True:
        if record:
            record = False
            if people >= floor - tol and (
                value < threshold if best_only else value <= threshold + 1e-12
            ):
                members = _grow(members, n_members + n_chosen)
                starts = _grow(starts, n_sets + 2)
                weights = _grow(weights, n_sets + 1)
                for k in range(n_chosen):
                    members[n_members + k] = chosen[k]
                n_members += n_chosen
                weights[n_sets] = value
                n_sets += 1
                starts[n_sets] = n_members
                if best_only:
                    threshold = value
                if set_limit >= 0 and n_sets >= set_limit:
                    complete = False
                    break
        if descend:
            steps += 1
            if node_limit >= 0 and steps > node_limit:
                complete = False
                break
            # Branch on the candidate of largest weight either way: taking or barring it
            # moves the bound most (see the module docstring).
            unit = -1
            heaviest = -1.0
            for u in range(m):
                if state[u] == CANDIDATE and blocked[u] == 0 and abs(weight[u]) > heaviest:
                    heaviest = abs(weight[u])
                    unit = u
            if unit >= 0:
                lowest = weight
                if cut_penalty.shape[0]:
                    _charged_weights(
                        state,
                        blocked,
                        weight,
                        held,
                        cut_indptr,
                        cut_indices,
                        cut_penalty,
                        charged,
                        rebate,
                    )
                    lowest = charged
                bound = value + _bound(
                    state,
                    blocked,
                    lowest,
                    pop,
                    floor - people,
                    indptr,
                    indices,
                    threshold - value,
                    cut_indptr,
                    cut_indices,
                    rebate,
                )
                if bound > threshold + 1e-12 or (best_only and bound >= threshold):
                    unit = -1
            if unit < 0:
                descend = False
                continue
            stack_unit[depth] = unit
            stack_phase[depth] = 0
            stack_added[depth] = n_added
            state[unit] = MEMBER
            chosen[n_chosen] = unit
            n_chosen += 1
            value += weight[unit] + _hold(unit, 1, held, cut_indptr, cut_indices, cut_penalty)
            people += pop[unit]
            for e in range(conflict_indptr[unit], conflict_indptr[unit + 1]):
                blocked[conflict_indices[e]] += 1
            for e in range(indptr[unit], indptr[unit + 1]):
                v = indices[e]
                if state[v] == FREE:
                    state[v] = CANDIDATE
                    added[n_added] = v
                    n_added += 1
            depth += 1
            if people > ceiling + tol:
                descend = False  # population only grows below this set
            else:
                record = True
            continue
        if depth == 0:
            break
        depth -= 1
        unit = stack_unit[depth]
        if stack_phase[depth] == 0:  # taken: now bar it instead
            for k in range(stack_added[depth], n_added):
                state[added[k]] = FREE
            n_added = stack_added[depth]
            for e in range(conflict_indptr[unit], conflict_indptr[unit + 1]):
                blocked[conflict_indices[e]] -= 1
            value -= weight[unit] - _hold(unit, -1, held, cut_indptr, cut_indices, cut_penalty)
            people -= pop[unit]
            state[unit] = BARRED
            n_chosen -= 1
            stack_phase[depth] = 1
            depth += 1
            descend = True
        else:
            state[unit] = CANDIDATE
    return members[:n_members], starts[: n_sets + 1], weights[:n_sets], complete, steps


@njit(cache=True, nogil=True)
def _connected_without(inside, removed, indptr, indices):
    """Whether the units marked ``inside`` stay connected when ``removed`` leaves."""
    m = inside.shape[0]
    seen = np.zeros(m, dtype=np.bool_)
    queue = np.empty(m, dtype=np.int64)
    total = 0
    first = -1
    for u in range(m):
        if inside[u] and u != removed:
            total += 1
            first = u
    if total == 0:
        return False
    queue[0] = first
    seen[first] = True
    head, tail = 0, 1
    while head < tail:
        u = queue[head]
        head += 1
        for e in range(indptr[u], indptr[u + 1]):
            v = indices[e]
            if inside[v] and v != removed and not seen[v]:
                seen[v] = True
                queue[tail] = v
                tail += 1
    return tail == total


@njit(cache=True, nogil=True)
def _cheapest_centre(colsum, inside, unit_of, extra, skip):
    """Least p-median cost over centre areas in the set (plus unit ``extra``, minus ``skip``)."""
    best = np.inf
    centre = -1
    for c in range(colsum.shape[0]):
        u = unit_of[c]
        if ((inside[u] and u != skip) or u == extra) and colsum[c] < best:
            best = colsum[c]
            centre = c
    return best, centre


@njit(cache=True, nogil=True)
def improve_set(
    start_set,
    unit_cost,
    unit_of,
    price,
    pop,
    floor,
    ceiling,
    indptr,
    indices,
    conflict_indptr,
    conflict_indices,
    max_moves,
):
    """Steepest descent over connected unit sets by adding or dropping one unit at a time.

    ``unit_cost[u, c]`` is the attribute distance of unit u's areas to centre area c and
    ``price[u]`` the dual price of u's areas; a set costs its least total distance to one of
    its own areas (its medoid) minus its price. Every set visited on the way is returned
    (as in :func:`connected_sets`, with its medoid centre and weight), so heuristic pricing
    gets a few columns from each start.
    """
    m, n = unit_cost.shape
    inside = np.zeros(m, dtype=np.bool_)
    blocked = np.zeros(m, dtype=np.int32)
    colsum = np.zeros(n)
    people = 0.0
    paid = 0.0
    for u in start_set:
        inside[u] = True
        colsum += unit_cost[u]
        people += pop[u]
        paid += price[u]
        for e in range(conflict_indptr[u], conflict_indptr[u + 1]):
            blocked[conflict_indices[e]] += 1
    cost, centre = _cheapest_centre(colsum, inside, unit_of, -1, -1)
    value = cost - paid
    members = np.empty(64, dtype=np.int32)
    starts = np.zeros(16, dtype=np.int64)
    weights = np.empty(16, dtype=np.float64)
    centres = np.empty(16, dtype=np.int64)
    n_sets = 0
    n_members = 0
    tol = 1e-9 * max(1.0, abs(floor))
    for _ in range(max_moves):
        best_value = value - 1e-12
        best_unit = -1
        best_centre = -1
        for u in range(m):
            if inside[u]:
                if people - pop[u] < floor - tol:
                    continue
                c_cost, c = _cheapest_centre(colsum - unit_cost[u], inside, unit_of, -1, u)
                candidate = c_cost - (paid - price[u])
                if candidate < best_value and _connected_without(inside, u, indptr, indices):
                    best_value, best_unit, best_centre = candidate, u, c
            elif blocked[u] == 0 and people + pop[u] <= ceiling + tol:
                touches = False
                for e in range(indptr[u], indptr[u + 1]):
                    if inside[indices[e]]:
                        touches = True
                        break
                if not touches:
                    continue
                c_cost, c = _cheapest_centre(colsum + unit_cost[u], inside, unit_of, u, -1)
                candidate = c_cost - (paid + price[u])
                if candidate < best_value:
                    best_value, best_unit, best_centre = candidate, u, c
        if best_unit < 0:
            break
        u = best_unit
        sign = -1.0 if inside[u] else 1.0
        inside[u] = not inside[u]
        colsum += sign * unit_cost[u]
        people += sign * pop[u]
        paid += sign * price[u]
        for e in range(conflict_indptr[u], conflict_indptr[u + 1]):
            blocked[conflict_indices[e]] += int(sign)
        value, centre = best_value, best_centre
        if people >= floor - tol:
            count = 0
            for v in range(m):
                if inside[v]:
                    count += 1
            members = _grow(members, n_members + count)
            starts = _grow(starts, n_sets + 2)
            weights = _grow(weights, n_sets + 1)
            centres = _grow(centres, n_sets + 1)
            for v in range(m):
                if inside[v]:
                    members[n_members] = v
                    n_members += 1
            weights[n_sets] = value
            centres[n_sets] = centre
            n_sets += 1
            starts[n_sets] = n_members
    return members[:n_members], starts[: n_sets + 1], weights[:n_sets], centres[:n_sets]
