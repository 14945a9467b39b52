//! Small sorted sets shared by reference: the "value" a [`Tracer`](super::Tracer) carries.
//!
//! A set is a sorted, duplicate-free `Vec` behind an `Rc`, so cloning a tracer (which user
//! code does for every reused variable) is O(1), and a union whose left operand is not shared
//! (the running sum `s = s + t`) inserts into it in place instead of copying it.

use std::rc::Rc;

/// A sorted set of `T`; `None` is the empty set (constants allocate nothing).
#[derive(Clone, Debug, Default)]
pub(crate) struct Set<T>(Option<Rc<Vec<T>>>);

/// Above this many elements in the smaller operand, a union merges into a new vector
/// instead of inserting element by element (each insertion shifts the larger vector).
const INSERT_LIMIT: usize = 16;

impl<T: Ord + Copy> Set<T> {
    /// The set of the elements of a sorted, duplicate-free vector.
    pub fn from_sorted(v: Vec<T>) -> Self {
        debug_assert!(v.windows(2).all(|w| w[0] < w[1]));
        match v.is_empty() {
            true => Set(None),
            false => Set(Some(Rc::new(v))),
        }
    }

    /// The set of the elements of any vector.
    pub fn from_unsorted(mut v: Vec<T>) -> Self {
        v.sort_unstable();
        v.dedup();
        Set::from_sorted(v)
    }

    /// The elements, in increasing order.
    pub fn as_slice(&self) -> &[T] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }

    /// `self ∪ other`.
    pub fn union(self, other: Self) -> Self {
        let (a, b) = match (self.0, other.0) {
            (None, b) => return Set(b),
            (a, None) => return Set(a),
            (Some(a), Some(b)) if Rc::ptr_eq(&a, &b) => return Set(Some(a)),
            (Some(a), Some(b)) => (a, b),
        };
        // Insert the smaller into the larger, in place when the larger is not shared.
        let (mut big, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
        if small.len() <= INSERT_LIMIT {
            let v = Rc::make_mut(&mut big);
            for &s in small.iter() {
                if let Err(at) = v.binary_search(&s) {
                    v.insert(at, s);
                }
            }
            return Set(Some(big));
        }
        let mut merged = Vec::with_capacity(big.len() + small.len());
        let (mut i, mut j) = (0, 0);
        while i < big.len() && j < small.len() {
            match big[i].cmp(&small[j]) {
                std::cmp::Ordering::Less => (merged.push(big[i]), i += 1),
                std::cmp::Ordering::Greater => (merged.push(small[j]), j += 1),
                std::cmp::Ordering::Equal => (merged.push(big[i]), (i, j) = (i + 1, j + 1)),
            };
        }
        merged.extend_from_slice(&big[i..]);
        merged.extend_from_slice(&small[j..]);
        Set::from_sorted(merged)
    }
}

/// The pairs `(min(i, j), max(i, j))` for `i ∈ a`, `j ∈ b`: the second derivatives that a
/// product-like interaction of `a` and `b` creates.
pub(crate) fn pairs(a: &[u32], b: &[u32]) -> Set<(u32, u32)> {
    let mut out = Vec::with_capacity(a.len() * b.len());
    for &i in a {
        for &j in b {
            out.push((i.min(j), i.max(j)));
        }
    }
    Set::from_unsorted(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_is_sorted_and_duplicate_free_on_both_paths() {
        let small = Set::from_unsorted(vec![5u32, 1, 3]);
        let other = Set::from_unsorted(vec![3u32, 4]);
        assert_eq!(small.union(other).as_slice(), &[1, 3, 4, 5]);
        let big = Set::from_unsorted((0..40u32).map(|i| i * 2).collect());
        let big2 = Set::from_unsorted((0..40u32).map(|i| i * 3).collect());
        let u = big.union(big2);
        let mut expected: Vec<u32> = (0..40)
            .map(|i| i * 2)
            .chain((0..40).map(|i| i * 3))
            .collect();
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(u.as_slice(), expected.as_slice());
    }

    #[test]
    fn union_does_not_change_a_shared_operand() {
        let a = Set::from_unsorted(vec![1u32, 2]);
        let kept = a.clone();
        let u = a.union(Set::from_unsorted(vec![7]));
        assert_eq!(kept.as_slice(), &[1, 2]);
        assert_eq!(u.as_slice(), &[1, 2, 7]);
    }

    #[test]
    fn pairs_are_normalised_upper_triangle() {
        assert_eq!(
            pairs(&[2, 0], &[0, 1]).as_slice(),
            &[(0, 0), (0, 1), (0, 2), (1, 2)]
        );
    }
}
