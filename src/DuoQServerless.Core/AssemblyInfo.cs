[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("DuoQServerless.Tests")]
