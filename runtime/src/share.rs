//! Small generic pieces that generated code shares instead of repeating.
//!
//! # Builder state
//!
//! A generated builder keeps its required fields in one type parameter, the
//! *state*: a binary tree of pairs whose leaves are the fields, each
//! [`Unset`] until its setter stores the value there. A field is found in
//! the tree by a path of [`L`]/[`R`] steps ending in [`E`], and [`Slot`]
//! reads and replaces the leaf at a path. So a required setter is written
//! once, generic over the state (it exists only while its leaf is `Unset`),
//! and `build` exists only for the state where every leaf holds its value:
//! a missing field, or one set twice, does not compile, and nothing is
//! checked at run time. The tree keeps a setter's signature short whatever
//! the number of required fields, so a builder's size grows linearly with
//! its fields.

use std::marker::PhantomData;

/// A required builder field that is not set yet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unset;

/// The end of a path in a builder's state: this leaf.
#[derive(Debug)]
pub struct E;

/// A step into the left half of a pair in a builder's state.
#[derive(Debug)]
pub struct L<P>(PhantomData<P>);

/// A step into the right half of a pair in a builder's state.
#[derive(Debug)]
pub struct R<P>(PhantomData<P>);

/// The leaf at path `P` of a builder's state.
pub trait Slot<P> {
    /// What the leaf holds now: [`Unset`] or the field's value.
    type Now;
    /// The state once the leaf holds a `V`.
    type With<V>;
    /// Stores `value` in the leaf, dropping what it held.
    fn put<V>(self, value: V) -> Self::With<V>;
}

impl<T> Slot<E> for T {
    type Now = T;
    type With<V> = V;

    #[inline]
    fn put<V>(self, value: V) -> V {
        value
    }
}

impl<A: Slot<P>, B, P> Slot<L<P>> for (A, B) {
    type Now = A::Now;
    type With<V> = (A::With<V>, B);

    #[inline]
    fn put<V>(self, value: V) -> Self::With<V> {
        (self.0.put(value), self.1)
    }
}

impl<A, B: Slot<P>, P> Slot<R<P>> for (A, B) {
    type Now = B::Now;
    type With<V> = (A, B::With<V>);

    #[inline]
    fn put<V>(self, value: V) -> Self::With<V> {
        (self.0, self.1.put(value))
    }
}

/// The path type of a leaf in a builder's state from its steps: `steps!(L R)`
/// is `L<R<E>>`.
#[macro_export]
#[doc(hidden)]
macro_rules! steps {
    () => { $crate::share::E };
    (L $($rest:ident)*) => { $crate::share::L<$crate::steps!($($rest)*)> };
    (R $($rest:ident)*) => { $crate::share::R<$crate::steps!($($rest)*)> };
}

/// The argument type of a builder setter of each kind of field: `into`
/// (anything `Into` the type), `boxed` (the same, stored boxed), `list` (any
/// iterator of convertible items), `map` (any iterator of convertible
/// key-value pairs), `timestamp`, and `nullable`/`nullable_boxed` (a
/// required field that may be `null`: anything `Into` an `Option`).
#[macro_export]
#[doc(hidden)]
macro_rules! arg {
    (into $ty:ty) => { impl ::std::convert::Into<$ty> };
    (boxed $ty:ty) => { impl ::std::convert::Into<$ty> };
    (list $ty:ty) => {
        impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<$ty>>
    };
    (map $ty:ty) => {
        impl ::std::iter::IntoIterator<
            Item = (impl ::std::convert::Into<::std::string::String>, impl ::std::convert::Into<$ty>),
        >
    };
    (timestamp $ty:ty) => { impl $crate::IntoTimestamp };
    (nullable $ty:ty) => { impl ::std::convert::Into<::std::option::Option<$ty>> };
    (nullable_boxed $ty:ty) => { impl ::std::convert::Into<::std::option::Option<$ty>> };
}

/// The stored value of a setter's argument `$v` of each kind (see [`arg`]).
#[macro_export]
#[doc(hidden)]
macro_rules! convert {
    (into $v:ident) => {
        $v.into()
    };
    (boxed $v:ident) => {
        ::std::boxed::Box::new($v.into())
    };
    (list $v:ident) => {
        $v.into_iter().map(::std::convert::Into::into).collect()
    };
    (map $v:ident) => {
        $v.into_iter().map(|(k, v)| (k.into(), v.into())).collect()
    };
    (timestamp $v:ident) => {
        $crate::IntoTimestamp::into_timestamp($v)
    };
    (nullable $v:ident) => {
        $v.into()
    };
    (nullable_boxed $v:ident) => {
        $v.into().map(::std::boxed::Box::new)
    };
}

/// The setters of a builder's optional fields, each `doc field kind type;`
/// (kinds as in [`arg`]): available in every state, each stores its value and
/// returns the builder. After `fields;` the values live in the builder's
/// `fields` struct, after a bare `;` in the builder itself.
#[macro_export]
#[doc(hidden)]
macro_rules! setters {
    (fields; $($doc:literal $field:ident $kind:ident $ty:ty;)*) => {
        $($crate::setters!(@one [fields] $doc $field $kind $ty);)*
    };
    (; $($doc:literal $field:ident $kind:ident $ty:ty;)*) => {
        $($crate::setters!(@one [] $doc $field $kind $ty);)*
    };
    (@one [$($holder:ident)?] $doc:literal $field:ident $kind:ident $ty:ty) => {
        #[doc = $doc]
        pub fn $field(mut self, value: $crate::arg!($kind $ty)) -> Self {
            self$(.$holder)?.$field = ::std::option::Option::Some(
                $crate::convert!($kind value),
            );
            self
        }
    };
}

/// The setters of a builder's required fields, each
/// `doc field kind type => stored type [steps];` (kinds as in [`arg`], the
/// steps of [`steps`] to the field's leaf in the state): each exists only while its leaf
/// is [`Unset`] and stores its value there.
#[macro_export]
#[doc(hidden)]
macro_rules! required {
    ($builder:ident; $($doc:literal $field:ident $kind:ident $ty:ty => $set:ty [$($step:ident)*];)*) => {
        $(
            impl<S> $builder<S>
            where
                S: $crate::share::Slot<
                    $crate::steps!($($step)*),
                    Now = $crate::share::Unset,
                >,
            {
                #[doc = $doc]
                pub fn $field(
                    self,
                    value: $crate::arg!($kind $ty),
                ) -> $builder<S::With<$set>> {
                    $builder {
                        state: $crate::share::Slot::<
                            $crate::steps!($($step)*),
                        >::put::<$set>(
                            self.state,
                            $crate::convert!($kind value),
                        ),
                        fields: self.fields,
                    }
                }
            }
        )*
    };
}

/// The `Deserialize` of a generated struct: a visitor that matches keys
/// against the wire names (the runtime's `de` module), keeps unknown keys in
/// the struct's map `$extra`, and reads every value straight from the input.
/// Each field is `index "wire" field kind;`, its kind `required`,
/// `optional`, or `required_whole T`/`optional_whole T` for an integer read
/// leniently through `de::Whole<T>`. An absent `Option` field is `None`,
/// required or not (serde's rule).
#[macro_export]
#[doc(hidden)]
macro_rules! object {
    ($name:ident, $extra:ident; $($index:literal $wire:literal $field:ident $kind:ident $($int:ty)?;)*) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::std::result::Result<Self, __D::Error> {
                struct Visitor;
                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: __A,
                    ) -> ::std::result::Result<$name, __A::Error> {
                        use $crate::de;
                        fn field(key: &str) -> ::std::option::Option<usize> {
                            match key {
                                $($wire => ::std::option::Option::Some($index),)*
                                _ => ::std::option::Option::None,
                            }
                        }
                        $(let mut $field = $crate::object!(@slot $kind $($int)?);)*
                        let mut extra = ::std::collections::BTreeMap::new();
                        // One `?` per key, after the match: an early return drops
                        // every slot, and one exit keeps the function small.
                        while let ::std::option::Option::Some(key) =
                            map.next_key_seed(de::Fields(field))?
                        {
                            match key {
                                $(de::Field::Known($index) => de::next(&mut map, &mut $field, $wire),)*
                                // Indexes come from `field`: every one has an arm above.
                                de::Field::Known(_) => de::skip(&mut map),
                                de::Field::Unknown(key) => de::extra(&mut map, &mut extra, key),
                            }?;
                        }
                        ::std::result::Result::Ok($name {
                            $($field: $crate::object!(@value $kind $field $wire),)*
                            $extra: extra,
                        })
                    }
                }
                deserializer.deserialize_map(Visitor)
            }
        }
    };
    (@slot required) => { ::std::option::Option::None };
    (@slot optional) => { ::std::option::Option::None };
    (@slot required_whole $int:ty) => {
        ::std::option::Option::<$crate::de::Whole<$int>>::None
    };
    (@slot optional_whole $int:ty) => {
        ::std::option::Option::<::std::option::Option<$crate::de::Whole<$int>>>::None
    };
    (@value required $slot:ident $wire:literal) => {
        $crate::de::required($slot, $wire)?
    };
    (@value optional $slot:ident $wire:literal) => { $crate::de::optional($slot) };
    (@value required_whole $slot:ident $wire:literal) => {
        $crate::de::required($slot, $wire)?.0
    };
    (@value optional_whole $slot:ident $wire:literal) => {
        $crate::de::optional($slot).map(|n| n.0)
    };
}

/// What every generated string enum `$name` (catch-all variant `$other`)
/// has besides its variants, `as_str` and `From<&str>`: `From<String>`
/// (keeping an unknown value's text without copying it), `FromStr`,
/// `AsRef<str>`, `Display`, and serde's traits, writing and reading the
/// wire value (read without allocating for known values).
#[macro_export]
#[doc(hidden)]
macro_rules! str_enum {
    ($name:ident, $other:ident) => {
        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match Self::from(value.as_str()) {
                    Self::$other(_) => Self::$other(value),
                    known => known,
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, ::std::convert::Infallible> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<__S: ::serde::Serializer>(
                &self,
                serializer: __S,
            ) -> ::std::result::Result<__S::Ok, __S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::std::result::Result<Self, __D::Error> {
                $crate::share::deserialize_str_enum(deserializer)
            }
        }
    };
}

pub use crate::{arg, convert, object, required, setters, steps, str_enum};

/// Reads a string enum without allocating for known values: the
/// `Deserialize` of every generated string enum ([`str_enum!`]).
pub fn deserialize_str_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: for<'a> From<&'a str> + From<String>,
{
    struct Visitor<T>(PhantomData<T>);
    impl<T> serde::de::Visitor<'_> for Visitor<T>
    where
        T: for<'a> From<&'a str> + From<String>,
    {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            Ok(T::from(value))
        }
        fn visit_string<E: serde::de::Error>(self, value: String) -> Result<T, E> {
            Ok(T::from(value))
        }
    }
    deserializer.deserialize_str(Visitor(PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The type of a value, checked at compile time.
    fn same<T>(_: &T, _: &T) {}

    #[test]
    fn put_replaces_only_the_leaf_at_its_path() {
        let state = ((Unset, Unset), Unset);
        let state = Slot::<R<E>>::put(state, 3_u8);
        let state = Slot::<L<L<E>>>::put(state, "a");
        same(&state, &(("a", Unset), 3_u8));
        assert_eq!(state, (("a", Unset), 3));
        let state = Slot::<L<R<E>>>::put(state, 'b');
        assert_eq!(state, (("a", 'b'), 3));
    }

    #[test]
    fn a_single_leaf_is_the_whole_state() {
        assert_eq!(Slot::<E>::put(Unset, 7_i32), 7);
    }
}
